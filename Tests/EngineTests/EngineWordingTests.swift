import Foundation
import XCTest
@testable import Engine

/// The engine is a library: its refusals speak of the layer (the pad, the stride), and each
/// front end words its own options. A message naming `--pad` would be wrong in a lesson file,
/// in free play's keys and for anyone calling the engine from code.
final class EngineWordingTests: XCTestCase {
    func testPadSameNamesThePadNotAnOption() {
        do {
            _ = try resolvePadding(.same, input: Pair(4, 5), filter: Pair(2, 3), stride: Pair(1), dilation: Pair(1))
            XCTFail("a fractional pad \"same\" was accepted")
        } catch let error as EngineError {
            XCTAssertFalse(error.message.contains("--"), error.message)
            XCTAssertTrue(error.message.contains("give the pad as a whole number"), error.message)
        } catch {
            XCTFail("unexpected error \(error)")
        }
    }

    func testNoEngineStringNamesACommandLineOption() throws {
        let engine = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/Engine")
        let files = try FileManager.default.contentsOfDirectory(at: engine, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" }
        XCTAssertFalse(files.isEmpty, "no engine sources under \(engine.path)")
        // `--name` inside a string literal on one line.
        let option = try NSRegularExpression(pattern: #""[^"\n]*--[a-z][^"\n]*""#)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = String(line)
                guard !code.trimmingCharacters(in: .whitespaces).hasPrefix("//") else { continue }
                if option.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil {
                    XCTFail("\(file.lastPathComponent):\(n + 1) names a command-line option: \(code)")
                }
            }
        }
    }
}
