import Detection
import Testing

@testable import API

@Suite("Detector pool")
struct DetectorPoolTests {
    @Test("small body keeps detector")
    func smallBodyKeepsDetector() {
        let pool = DetectorPool(limits: EventDecoderLimits())
        pool.withDetector(bodyBytes: 600) { _ in }
        #expect(pool.idleCount == 1)
        pool.withDetector(bodyBytes: DetectorPool.maxPooledBodyBytes) { _ in }
        #expect(pool.idleCount == 1)
    }

    @Test("large body drops detector")
    func largeBodyDropsDetector() {
        let pool = DetectorPool(limits: EventDecoderLimits())
        pool.withDetector(bodyBytes: 600) { _ in }
        pool.withDetector(bodyBytes: DetectorPool.maxPooledBodyBytes + 1) { _ in }
        #expect(pool.idleCount == 0)
    }

    @Test("pool keeps at most sixteen")
    func poolKeepsAtMostSixteen() {
        let pool = DetectorPool(limits: EventDecoderLimits())
        func nest(_ depth: Int) {
            guard depth > 0 else { return }
            pool.withDetector(bodyBytes: 10) { _ in nest(depth - 1) }
        }
        nest(20)
        #expect(pool.idleCount == 16)
    }
}
