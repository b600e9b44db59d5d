import XCTest
import Engine
import Storyboard

/// Whole frames as text, kept in `__Snapshots__` and read by eye once: the layout of every
/// phase in both languages, at a small and a large size.
final class FrameSnapshotTests: XCTestCase {
    let large = Size(width: 110, height: 34)
    let small = Size(width: 64, height: 20)

    private func snap(_ board: Storyboard, _ phase: String, _ n: Int = 1, size: Size,
                      language: Language = .en, symbols: Bool = false, name: String,
                      file: StaticString = #filePath, line: UInt = #line) {
        let step = Fixtures.step(board, phase, n)
        let frame = board.frame(at: step, size: size, options: ViewOptions(symbols: symbols, language: language))
        assertSnapshot(TextRenderer.plain(frame), named: name, file: file, line: line)
    }

    /// The default terminal and a projector's: what a class sees.
    func testTheDefaultTerminalAndAProjector() {
        let terminal = Size(width: 80, height: 24), projector = Size(width: 160, height: 48)
        let conv = Fixtures.convBackward
        snap(conv, "gemm", 3, size: terminal, name: "class-gemm-80x24")
        snap(conv, "gemm", 3, size: projector, name: "class-gemm-160x48")
        snap(conv, "transpose", size: terminal, name: "class-transpose-80x24")
        snap(conv, "transpose", size: projector, language: .ja, name: "class-transpose-160x48-ja")
        snap(conv, "col2im", 5, size: terminal, name: "class-col2im-80x24")
        snap(conv, "col2im", 5, size: projector, name: "class-col2im-160x48")
        let pool = Fixtures.pool()
        snap(pool, "argmax", 2, size: terminal, language: .ja, name: "class-argmax-80x24-ja")
        snap(pool, "argmax", 2, size: projector, name: "class-argmax-160x48")
    }

    func testForwardPhasesOfTheWorkedExample() {
        let b = Fixtures.seedExample
        snap(b, "slide", 5, size: large, symbols: true, name: "seed-slide-symbols-en")
        snap(b, "slide", 5, size: large, name: "seed-slide-numbers-en")
        snap(b, "slide", 3, size: small, language: .ja, symbols: true, name: "seed-slide-small-ja")
        snap(b, "im2col", 4, size: large, name: "seed-im2col-en")
        snap(b, "im2col", 9, size: small, language: .ja, name: "seed-im2col-small-ja")
        snap(b, "filter-reshape", size: large, symbols: true, name: "seed-filter-reshape-en")
        snap(b, "gemm", 1, size: large, symbols: true, name: "seed-gemm-symbols-en")
        snap(b, "gemm", 5, size: large, language: .ja, name: "seed-gemm-ja")
        snap(b, "bias", 2, size: large, name: "seed-bias-en")
        snap(b, "reshape", size: large, name: "seed-reshape-en")
        snap(b, "transpose", size: large, language: .ja, name: "seed-transpose-ja")
        snap(b, "activation", 9, size: small, name: "seed-activation-small-en")
    }

    func testBackwardPhases() {
        let b = Fixtures.convBackward
        snap(b, "pad", size: large, name: "back-pad-en")
        snap(b, "dactivation", 3, size: large, name: "back-dactivation-en")
        snap(b, "grad-w", 2, size: large, name: "back-grad-w-en")
        snap(b, "grad-b", 1, size: large, language: .ja, name: "back-grad-b-ja")
        snap(b, "grad-cols", 7, size: large, name: "back-grad-cols-en")
        snap(b, "col2im", 5, size: large, name: "back-col2im-en")
        snap(b, "col2im", 8, size: small, language: .ja, name: "back-col2im-small-ja")
        snap(b, "crop", size: large, name: "back-crop-en")
        snap(b, "update", 2, size: large, language: .ja, name: "back-update-ja")
    }

    func testTheBaseFormAndAdam() {
        let b = Fixtures.baseFormBackward
        let titles = b.phases.map(\.title)
        // The backward chain of the BaseLayer form begins with grad.transpose(0, 2, 3, 1).
        guard let backward = titles.firstIndex(of: "dactivation"), backward >= 2 else {
            return XCTFail("\(titles)")
        }
        snap(b, titles[backward - 2], size: large, name: "base-backward-transpose-en")
        snap(b, titles[backward - 1], size: large, language: .ja, name: "base-backward-reshape-ja")
        snap(b, "gemm", 3, size: large, name: "base-gemm-en")
        snap(b, "grad-w-reshape", size: large, name: "base-grad-w-reshape-en")
        snap(b, "update", 3, size: large, name: "base-update-adam-en")
        snap(b, "update", 5, size: small, language: .ja, name: "base-update-adam-small-ja")
    }

    func testPoolingPhases() {
        let maxPool = Fixtures.pool()
        snap(maxPool, "pool-rows", size: large, name: "pool-rows-en")
        snap(maxPool, "argmax", 2, size: large, name: "pool-argmax-en")
        snap(maxPool, "argmax", 3, size: small, language: .ja, name: "pool-argmax-small-ja")
        snap(maxPool, "route", 2, size: large, name: "pool-route-en")
        snap(maxPool, "col2im", 4, size: large, language: .ja, name: "pool-col2im-overlap-ja")
        snap(Fixtures.pool(routing: .seedBug), "route-seed-bug", 2, size: large, name: "pool-seed-bug-en")
        snap(Fixtures.pool(.average, stride: 1), "pool-mean", 2, size: large, name: "pool-mean-en")
        snap(Fixtures.pool(.average, stride: 1), "route", 1, size: large, language: .ja, name: "pool-average-route-ja")
    }
}
