/// Sends `request` on a new connection and returns the first response and whether the server
/// closed the connection afterwards.
func exchangeAndWaitForClose(port: Int, _ request: String) async throws -> (response: RawClient.Response, closed: Bool) {
    try await onThread {
        let client = try RawClient(port: port)
        try client.write(request)
        let response = try client.readResponse()
        return (response, client.waitForClose())
    }
}

/// Sends `request` on a new connection and returns the first response.
func exchange(port: Int, _ request: String) async throws -> RawClient.Response {
    try await onThread {
        let client = try RawClient(port: port)
        try client.write(request)
        return try client.readResponse()
    }
}
