/// A compiled condition as a flat list of instructions over field slots, so that evaluation is
/// one loop over an array instead of a walk through a tree of boxed nodes.
///
/// Each instruction sets or reads one Boolean result. `and` and `or` short-circuit with
/// forward jumps: `a and b` is `a; jumpIfFalse end; b; end:`.
struct EQLProgram: Sendable {
    enum Instruction: Sendable {
        /// Holds when any value of the slot passes `tests[test]`.
        case test(slot: Int, test: Int)
        /// True when any string value of the slot equals the `count` bytes at `offset` in
        /// `strings`, or any other value passes `tests[test]`. Compiled from `==` with one string
        /// constant, such as the category test.
        case stringEquals(slot: Int, offset: Int, count: Int, test: Int)
        /// True when any string value of the slot matches `patterns[pattern]`, or any other value
        /// passes `tests[test]`. Compiled from `:` or `like` with one pattern.
        case wildcard(slot: Int, pattern: Int, test: Int)
        case exists(slot: Int)
        case missing(slot: Int)
        case constant(Bool)
        /// Holds when `expressions[index]` evaluates to `true`.
        case expression(Int)
        case negate
        case jumpIfFalse(Int)
        case jumpIfTrue(Int)
    }

    let instructions: [Instruction]
    let tests: [BoxedValueTest]
    let expressions: [EQLExpressionPlan]
    /// The bytes of the `stringEquals` constants, one after another.
    let strings: ConstantBytes
    let patterns: [WildcardPattern]

    /// Compiles `condition`, giving every field it tests a slot in `fields`.
    init(_ condition: EQLCondition, fields: FieldTable) {
        var builder = Builder(fields: fields)
        builder.emit(condition)
        instructions = builder.instructions
        tests = builder.tests
        expressions = builder.expressions
        strings = ConstantBytes(builder.stringBytes)
        patterns = builder.patterns
    }

    /// The fields that `condition` tests directly, in the order the program reads them.
    static func fields(of condition: EQLCondition) -> [FieldPath] {
        switch condition {
        case .constant, .expression: []
        case .all(let parts), .any(let parts): parts.flatMap(fields(of:))
        case .not(let inner): fields(of: inner)
        case .exists(let path), .missing(let path), .field(let path, _): [path]
        }
    }

    /// Runs the program. `event` serves only expressions (function calls and arithmetic),
    /// which read fields by name.
    func holds(_ slots: some FieldSlots, event: some EventFields) -> Bool {
        var result = false
        var counter = 0
        let count = instructions.count
        while counter < count {
            switch instructions[counter] {
            case .test(let slot, let test):
                var passed = false
                let boxed = tests[test]
                slots.forEachValue(inSlot: slot) { value in
                    passed = boxed.test.passes(value)
                    return !passed
                }
                result = passed
            case .stringEquals(let slot, let offset, let count, let test):
                var passed = false
                let constant = UnsafeRawBufferPointer(rebasing: strings.bytes[offset..<offset + count])
                slots.forEachValue(inSlot: slot) { value in
                    if case .string(let bytes) = value {
                        passed = Self.bytesEqual(bytes, constant)
                    } else {
                        passed = tests[test].test.passes(value)
                    }
                    return !passed
                }
                result = passed
            case .wildcard(let slot, let pattern, let test):
                var passed = false
                slots.forEachValue(inSlot: slot) { value in
                    if case .string(let bytes) = value {
                        passed = patterns[pattern].matches(bytes)
                    } else {
                        passed = tests[test].test.passes(value)
                    }
                    return !passed
                }
                result = passed
            case .exists(let slot):
                result = slots.hasValue(inSlot: slot)
            case .missing(let slot):
                result = !slots.hasValue(inSlot: slot)
            case .constant(let value):
                result = value
            case .expression(let index):
                result = expressions[index].evaluate(in: event) == .bool(true)
            case .negate:
                result = !result
            case .jumpIfFalse(let target):
                if !result {
                    counter = target
                    continue
                }
            case .jumpIfTrue(let target):
                if result {
                    counter = target
                    continue
                }
            }
            counter += 1
        }
        return result
    }

    /// Returns whether two byte ranges are equal. The constants are short, so a loop compares
    /// them in place instead of a call to memcmp.
    @inline(__always)
    private static func bytesEqual(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        guard left.count == right.count else {
            return false
        }
        for index in 0..<left.count where left[index] != right[index] {
            return false
        }
        return true
    }

    private struct Builder {
        let fields: FieldTable
        var instructions: [Instruction] = []
        var tests: [BoxedValueTest] = []
        var expressions: [EQLExpressionPlan] = []
        var stringBytes: [UInt8] = []
        var patterns: [WildcardPattern] = []

        mutating func emit(_ condition: EQLCondition) {
            switch condition {
            case .constant(let value):
                instructions.append(.constant(value))
            case .all(let parts):
                emitShortCircuit(parts, jump: Instruction.jumpIfFalse)
            case .any(let parts):
                emitShortCircuit(parts, jump: Instruction.jumpIfTrue)
            case .not(let inner):
                emit(inner)
                instructions.append(.negate)
            case .exists(let path):
                instructions.append(.exists(slot: slot(path)))
            case .missing(let path):
                instructions.append(.missing(slot: slot(path)))
            case .field(let path, let test):
                tests.append(BoxedValueTest(test))
                let index = tests.count - 1
                switch test {
                case .equals(let constants, caseInsensitive: false) where constants.count == 1 && constants[0].isString:
                    instructions.append(.stringEquals(slot: slot(path), offset: stringBytes.count, count: constants[0].utf8.count, test: index))
                    stringBytes += constants[0].utf8
                case .wildcards(let list) where list.count == 1:
                    patterns.append(list[0])
                    instructions.append(.wildcard(slot: slot(path), pattern: patterns.count - 1, test: index))
                default:
                    instructions.append(.test(slot: slot(path), test: index))
                }
            case .expression(let plan):
                expressions.append(plan)
                instructions.append(.expression(expressions.count - 1))
            }
        }

        /// Emits the parts with a jump after each but the last; the jumps go past the last part,
        /// where the result of the part that jumped is the result of the whole.
        private mutating func emitShortCircuit(_ parts: [EQLCondition], jump: (Int) -> Instruction) {
            guard !parts.isEmpty else {
                // An empty `and` holds and an empty `or` fails; the compiler builds neither.
                instructions.append(.constant(jump(0).isJumpIfFalse))
                return
            }
            var pendingJumps: [Int] = []
            for (index, part) in parts.enumerated() {
                emit(part)
                if index < parts.count - 1 {
                    pendingJumps.append(instructions.count)
                    instructions.append(jump(0))
                }
            }
            for position in pendingJumps {
                instructions[position] = jump(instructions.count)
            }
        }

        private func slot(_ path: FieldPath) -> Int {
            guard let slot = fields.slot(of: path) else {
                preconditionFailure("field \(path) has no slot; FieldTable must be built from EQLProgram.fields(of:)")
            }
            return slot
        }
    }
}

extension EQLProgram.Instruction {
    fileprivate var isJumpIfFalse: Bool {
        if case .jumpIfFalse = self {
            return true
        }
        return false
    }
}

/// A value test behind a reference, so that running a program reads the test in place. Read
/// from an array of enums, the test was copied for every value, which retained and released its
/// constants.
final class BoxedValueTest: Sendable {
    let test: EQLValueTest

    init(_ test: EQLValueTest) {
        self.test = test
    }
}

/// Bytes that a program compares against, in memory it owns, so that reading them costs no
/// reference counting or bounds checks of an array.
final class ConstantBytes: @unchecked Sendable {
    /// The constants, never written after `init`, which is why the class can be `@unchecked Sendable`.
    let bytes: UnsafeRawBufferPointer

    init(_ source: [UInt8]) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: 1)
        storage.copyBytes(from: source)
        bytes = UnsafeRawBufferPointer(rebasing: storage[0..<source.count])
    }

    deinit {
        bytes.deallocate()
    }
}
