import HTTPServer

extension DetectionService {
    /// The name recorded as the actor of a change (an exception edit, a status change).
    ///
    /// TODO: use the API key's name once requests are authenticated; until then every change
    /// is recorded as made by "api".
    func actor(of request: HTTPRequest) -> String {
        "api"
    }
}
