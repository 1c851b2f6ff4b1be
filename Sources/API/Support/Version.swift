/// The release version of detectd, in semantic versioning. `detectd --version` prints it and
/// `GET /health` returns it. `info.version` in openapi.yaml must have the same value.
public let detectdVersion = "0.1.0"
