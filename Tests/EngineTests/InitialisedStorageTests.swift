import Foundation
import XCTest

/// An array built with `Array(unsafeUninitializedCapacity:initializingWith:)` promises that
/// the closure initialised the elements it counts. A closure that ignores its buffer and only
/// sets the count (`{ _, n in n = count }`) hands back elements nobody wrote yet, and leaves
/// their first write to code far away from the promise. The engine's sources are read here,
/// so that such an array cannot come back unnoticed.
final class InitialisedStorageTests: XCTestCase {
    func testEveryArrayDeclaredInitialisedIsWrittenInsideItsInitialiser() throws {
        let engine = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/Engine")
        let files = try FileManager.default.contentsOfDirectory(at: engine, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" }
        XCTAssertFalse(files.isEmpty, "no engine sources under \(engine.path)")
        // The closure's first parameter is the buffer: `_` there means nothing is written into it.
        let ignoredBuffer = try NSRegularExpression(pattern: #"unsafeUninitializedCapacity:[^{]*\{\s*_\s*,"#)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in ignoredBuffer.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let line = text[..<Range(match.range, in: text)!.lowerBound].filter { $0 == "\n" }.count + 1
                XCTFail("\(file.lastPathComponent):\(line) declares elements initialised without writing them")
            }
        }
    }
}
