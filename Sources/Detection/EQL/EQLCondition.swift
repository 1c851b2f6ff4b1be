/// A compiled EQL condition. Field names are resolved to `FieldPath`s and patterns compiled,
/// so evaluation walks this tree and reads event fields in place.
indirect enum EQLCondition: Sendable {
    case constant(Bool)
    case all([EQLCondition])
    case any([EQLCondition])
    case not(EQLCondition)
    /// `field != null`: the field has at least one value.
    case exists(FieldPath)
    /// `field == null`: the field is missing or null.
    case missing(FieldPath)
    /// Holds when any value of the field passes the test; a missing field fails every test.
    case field(FieldPath, EQLValueTest)
    /// Holds when the expression evaluates to `true`; `null` counts as false.
    case expression(EQLExpressionPlan)

    func holds(in event: some EventFields) -> Bool {
        switch self {
        case .constant(let value):
            return value
        case .all(let conditions):
            for condition in conditions where !condition.holds(in: event) {
                return false
            }
            return true
        case .any(let conditions):
            for condition in conditions where condition.holds(in: event) {
                return true
            }
            return false
        case .not(let condition):
            return !condition.holds(in: event)
        case .exists(let path):
            return event.hasValue(path)
        case .missing(let path):
            return !event.hasValue(path)
        case .field(let path, let test):
            var passed = false
            event.forEachValue(of: path) { value in
                passed = test.passes(value)
                return !passed
            }
            return passed
        case .expression(let plan):
            return plan.evaluate(in: event) == .bool(true)
        }
    }
}
