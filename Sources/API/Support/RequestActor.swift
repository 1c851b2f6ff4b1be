import HTTPServer

extension DetectionService {
    /// The name recorded as the actor of a change (an exception edit, a status change): the
    /// name of the API key the request presented. With authentication disabled, every change
    /// is recorded as made by "api".
    func actor(of request: HTTPRequest) -> String {
        authenticator.key(presentedIn: request.headers)?.name ?? "api"
    }
}
