/// One entry of a rule's `threat` list: a MITRE ATT&CK tactic and the techniques under it.
public struct RuleThreat: Sendable, Equatable {
    public struct Tactic: Sendable, Equatable {
        public let id: String
        public let name: String
        public let reference: String
    }

    public struct Technique: Sendable, Equatable {
        public let id: String
        public let name: String
        public let reference: String
        public let subtechnique: [Subtechnique]
    }

    public struct Subtechnique: Sendable, Equatable {
        public let id: String
        public let name: String
        public let reference: String
    }

    /// The framework name, such as `MITRE ATT&CK`.
    public let framework: String
    public let tactic: Tactic
    public let technique: [Technique]
}
