/// A compiled condition as a flat list of instructions over field slots, so that evaluation is
/// one loop over an array instead of a walk through a tree of boxed nodes.
///
/// Each instruction sets or reads one Boolean result. `and` and `or` short-circuit with
/// forward jumps: `a and b` is `a; jumpIfFalse end; b; end:`.
struct EQLProgram: Sendable {
    enum Instruction: Sendable {
        /// Holds when any value of the slot passes `tests[test]`.
        case test(slot: Int, test: Int)
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

    /// Compiles `condition`, giving every field it tests a slot in `fields`.
    init(_ condition: EQLCondition, fields: FieldTable) {
        var builder = Builder(fields: fields)
        builder.emit(condition)
        instructions = builder.instructions
        tests = builder.tests
        expressions = builder.expressions
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

    private struct Builder {
        let fields: FieldTable
        var instructions: [Instruction] = []
        var tests: [BoxedValueTest] = []
        var expressions: [EQLExpressionPlan] = []

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
                instructions.append(.test(slot: slot(path), test: tests.count - 1))
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
