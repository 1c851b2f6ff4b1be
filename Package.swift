// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "detectd",
    products: [
        .executable(name: "detectd", targets: ["detectd"]),
        .executable(name: "detectd-bench-engine", targets: ["detectd-bench-engine"]),
        // libFuzzer targets; fuzz/run.sh builds them with -sanitize=fuzzer,address.
        .executable(name: "fuzz-eql-parser", targets: ["FuzzEQLParserMain"]),
        .executable(name: "fuzz-event-decoder", targets: ["FuzzEventDecoderMain"]),
        // Fuzz targets, built by fuzz/run.sh with libFuzzer (fuzz/README.md).
        .executable(name: "fuzz-http-request", targets: ["HTTPRequestFuzzerEntry"]),
    ],
    targets: [
        // System libraries from Debian.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // C shims for what the Glibc module does not export (epoll, eventfd, accept4).
        .target(name: "CLinux"),

        // A plain C API over Debian's libsimdjson. The define must match the one the
        // library was built with, or the parser's memory layout differs from the library's.
        .target(
            name: "CSimdJSON",
            cxxSettings: [
                .define("SIMDJSON_THREADS_ENABLED", to: "1"),
                .unsafeFlags(["-O3"]),
            ],
            linkerSettings: [.linkedLibrary("simdjson")]
        ),

        .target(
            name: "Detection",
            dependencies: ["CSimdJSON"],
            resources: [.copy("Resources/port-forwarding-rule-addition.json")]
        ),
        .target(name: "Logging"),
        .target(name: "Storage", dependencies: ["CSQLite", "Logging"]),
        .target(name: "HTTPServer", dependencies: ["CLinux", "CZlib", "Logging"]),
        .target(name: "API", dependencies: ["Detection", "Storage", "HTTPServer", "Logging"]),
        .executableTarget(name: "detectd", dependencies: ["API", "CLinux", "Logging"]),
        // Runs the engine alone over an NDJSON file; bench/engine.sh builds it in release mode.
        .executableTarget(name: "detectd-bench-engine", dependencies: ["Detection"]),

        // Each fuzz target is a Swift library with a @_cdecl entry and a C executable that defines
        // LLVMFuzzerTestOneInput, because SwiftPM's generated main clashes with libFuzzer's.
        .target(name: "FuzzEQLParser", dependencies: ["Detection"], path: "Fuzz/FuzzEQLParser"),
        .executableTarget(name: "FuzzEQLParserMain", dependencies: ["FuzzEQLParser"], path: "Fuzz/FuzzEQLParserMain"),
        .target(name: "FuzzEventDecoder", dependencies: ["Detection"], path: "Fuzz/FuzzEventDecoder"),
        .executableTarget(name: "FuzzEventDecoderMain", dependencies: ["FuzzEventDecoder"], path: "Fuzz/FuzzEventDecoderMain"),

        // Fuzz targets: a Swift target that exports the test as a C function, and a C entry
        // point that libFuzzer links against (fuzz/README.md).
        .target(name: "HTTPRequestFuzzer", dependencies: ["HTTPServer"], path: "Fuzz/HTTPRequestFuzzer"),
        .executableTarget(name: "HTTPRequestFuzzerEntry", dependencies: ["HTTPRequestFuzzer"], path: "Fuzz/HTTPRequestFuzzerEntry"),

        .testTarget(
            name: "DetectionTests",
            dependencies: ["Detection"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "LoggingTests", dependencies: ["Logging"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(
            name: "APITests",
            dependencies: ["API", "Detection", "Storage", "HTTPServer"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
