import API
import Foundation
import Testing

@Suite("detectd version")
struct VersionTests {
    @Test("health returns the version")
    func healthVersion() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("GET", "/health")
        #expect(response.status == 200)
        let body = try response.json()
        #expect(body["status"] as? String == "ok")
        #expect(body["version"] as? String == detectdVersion)
    }

    @Test("openapi.yaml carries the same version")
    func openAPIVersion() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../openapi.yaml")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        let infoLine = try #require(lines.firstIndex(of: "info:"))
        let versionLine = try #require(lines[infoLine...].first { $0.hasPrefix("  version:") })
        #expect(versionLine == "  version: \(detectdVersion)")
    }

    @Test("version flag sets showVersion")
    func versionFlag() throws {
        #expect(try Configuration.parse(arguments: [], environment: [:]).showVersion == false)
        #expect(try Configuration.parse(arguments: ["--version"], environment: [:]).showVersion)
        let combined = try Configuration.parse(arguments: ["--listen", "127.0.0.1:0", "--version"], environment: [:])
        #expect(combined.showVersion)
        #expect(combined.port == 0)
    }

    @Test("help lists the version flag and command")
    func helpText() {
        #expect(Configuration.helpText.contains("  --version\n      Print the version of detectd and exit.\n"))
        #expect(Configuration.helpText.contains("  detectd version\n"))
    }
}
