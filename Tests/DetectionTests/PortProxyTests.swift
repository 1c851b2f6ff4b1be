import Testing

@testable import Detection

@Suite("Port proxy parsing")
struct PortProxyTests {
    @Test("corpus v4tov4 value set")
    func corpusValueSet() throws {
        let path = #"HKLM\System\CurrentControlSet\Services\PortProxy\v4tov4\tcp\0.0.0.0/8080"#
        let entry = try #require(PortProxy.parse(registryPath: path, data: "192.168.1.1/8000"))
        #expect(entry.family == "v4tov4")
        #expect(entry.transportProtocol == "tcp")
        #expect(entry.listenAddress == "0.0.0.0")
        #expect(entry.listenPort == 8080)
        #expect(entry.connectAddress == "192.168.1.1")
        #expect(entry.connectPort == 8000)
        #expect(entry.parseError == nil)
    }

    @Test("corpus path with lowercase services")
    func corpusLowercase() throws {
        let path = #"HKLM\System\CurrentControlSet\services\PortProxy\v4tov4\tcp\1.2.3.4/8001"#
        let entry = try #require(PortProxy.parse(registryPath: path, data: "1.2.3.5/3389"))
        #expect(entry.listenAddress == "1.2.3.4")
        #expect(entry.listenPort == 8001)
        #expect(entry.connectAddress == "1.2.3.5")
        #expect(entry.connectPort == 3389)
    }

    @Test("corpus events with PortProxy paths")
    func corpusEvents() throws {
        let cases = [
            ("eas_de_portforward_netsh_rdp.winlogbeat.ndjson", 3, "1.2.3.4", 8001, "1.2.3.5", 3389),
            ("eas_panache_edr_testing_rec4945-4966.elastic_agent.ndjson", 13, "0.0.0.0", 8080, "192.168.1.1", 8000),
        ]
        for (file, line, listenAddress, listenPort, connectAddress, connectPort) in cases {
            let json = try Corpus.line(line, of: file)
            let entry = try withEvent(json) { event in
                PortProxy.parse(
                    registryPath: event.firstString(FieldPath("registry.path")) ?? "",
                    data: event.firstString(FieldPath("registry.data.strings")))
            }
            #expect(entry??.listenAddress == listenAddress, "\(file):\(line)")
            #expect(entry??.listenPort == listenPort, "\(file):\(line)")
            #expect(entry??.connectAddress == connectAddress, "\(file):\(line)")
            #expect(entry??.connectPort == connectPort, "\(file):\(line)")
            #expect(entry??.parseError == nil, "\(file):\(line)")
        }
    }

    @Test("delete value has no connect endpoint")
    func deleteValue() throws {
        let path = #"HKLM\System\CurrentControlSet\Services\PortProxy\v4tov4\tcp\0.0.0.0/8080"#
        let entry = try #require(PortProxy.parse(registryPath: path, data: nil))
        #expect(entry.listenPort == 8080)
        #expect(entry.connectAddress == nil)
        #expect(entry.connectPort == nil)
        #expect(entry.parseError == nil)
    }

    @Test("IPv6 families and addresses")
    func ipv6() throws {
        let v6 = try #require(PortProxy.parse(registryPath: #"HKLM\SYSTEM\ControlSet001\Services\PortProxy\v6tov4\tcp\::/8443"#, data: "192.0.2.10/443"))
        #expect(v6.family == "v6tov4")
        #expect(v6.listenAddress == "::")
        #expect(v6.listenPort == 8443)
        let bracketed = try #require(PortProxy.parse(registryPath: #"HKLM\SYSTEM\ControlSet001\Services\PortProxy\V4TOV6\TCP\10.0.0.1/80"#, data: "[::1]/8080"))
        #expect(bracketed.family == "v4tov6")
        #expect(bracketed.transportProtocol == "tcp")
        #expect(bracketed.connectAddress == "::1")
        #expect(bracketed.connectPort == 8080)
        #expect(bracketed.parseError == nil)
    }

    @Test("host name endpoints")
    func hostNames() throws {
        let entry = try #require(
            PortProxy.parse(registryPath: #"HKLM\SYSTEM\CurrentControlSet\Services\PortProxy\v4tov4\tcp\localhost/2222"#, data: "fileserver.example.org/22"))
        #expect(entry.listenAddress == "localhost")
        #expect(entry.connectAddress == "fileserver.example.org")
        #expect(entry.connectPort == 22)
    }

    @Test("path outside PortProxy")
    func notPortProxy() {
        #expect(PortProxy.parse(registryPath: #"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters"#, data: "x") == nil)
    }

    @Test("key without value name")
    func keyOnly() throws {
        let entry = try #require(PortProxy.parse(registryPath: #"HKLM\SYSTEM\CurrentControlSet\Services\PortProxy\v4tov4\tcp"#, data: nil))
        #expect(entry.family == "v4tov4")
        #expect(entry.transportProtocol == "tcp")
        #expect(entry.listenAddress == nil)
        #expect(entry.parseError == "registry path has no listen address and port after the protocol, and registry.value names none")
    }

    @Test("key path with the endpoint in registry.value")
    func endpointInValueName() throws {
        let keyPath = #"HKLM\SYSTEM\CurrentControlSet\Services\PortProxy\v4tov4\tcp"#
        let entry = try #require(PortProxy.parse(registryPath: keyPath, data: "192.0.2.10/3389", valueName: "0.0.0.0/4444"))
        #expect(entry.listenAddress == "0.0.0.0")
        #expect(entry.listenPort == 4444)
        #expect(entry.connectPort == 3389)
        #expect(entry.parseError == nil)

        let fullPath = keyPath + #"\127.0.0.1/8080"#
        let fromPath = try #require(PortProxy.parse(registryPath: fullPath, data: nil, valueName: "0.0.0.0/4444"))
        #expect(fromPath.listenPort == 8080)

        let badValue = try #require(PortProxy.parse(registryPath: keyPath, data: nil, valueName: "Default"))
        #expect(badValue.parseError == "listen endpoint 'Default' is not of the form address/port")
    }

    @Test("malformed paths and data")
    func malformed() throws {
        let unknownFamily = try #require(PortProxy.parse(registryPath: #"HKLM\SYSTEM\CurrentControlSet\Services\PortProxy\v5tov5\tcp\1.2.3.4/80"#, data: nil))
        #expect(unknownFamily.family == nil)
        #expect(unknownFamily.listenPort == 80)
        #expect(unknownFamily.parseError == "unknown port proxy family 'v5tov5', expected one of v4tov4, v4tov6, v6tov4, v6tov6")

        let badPort = try #require(
            PortProxy.parse(registryPath: #"HKLM\SYSTEM\CurrentControlSet\Services\PortProxy\v4tov4\tcp\1.2.3.4/99999"#, data: "5.6.7.8"))
        #expect(badPort.listenAddress == nil)
        #expect(badPort.listenPort == nil)
        #expect(
            badPort.parseError
                == "listen endpoint '1.2.3.4/99999' has port '99999', expected a number from 0 to 65535; connect endpoint '5.6.7.8' is not of the form address/port"
        )

        let noAddress = try #require(PortProxy.parse(registryPath: #"HKLM\SYSTEM\CurrentControlSet\Services\PortProxy\v4tov4\tcp\/80"#, data: nil))
        #expect(noAddress.parseError == "listen endpoint '/80' has no address before the '/'")

        let bare = try #require(PortProxy.parse(registryPath: #"HKLM\SYSTEM\CurrentControlSet\Services\PortProxy"#, data: nil))
        #expect(bare.parseError == "registry path ends at the PortProxy key, without a family such as v4tov4")
    }
}
