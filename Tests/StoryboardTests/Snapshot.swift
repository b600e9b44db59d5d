import XCTest
import Foundation

/// Compares text with a file kept under `__Snapshots__`. A missing file is written and the
/// test fails, so that a new snapshot is always looked at once before it is trusted; set
/// `TATAMI_RECORD=1` to rewrite snapshots after an intended change.
func assertSnapshot(_ text: String, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let url = dir.appendingPathComponent(name + ".txt")
    let record = ProcessInfo.processInfo.environment["TATAMI_RECORD"] == "1"
    if !record, let old = try? String(contentsOf: url, encoding: .utf8) {
        if old != text {
            XCTFail("frame differs from \(url.path):\n--- expected\n\(old)\n--- got\n\(text)", file: file, line: line)
        }
        return
    }
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try? text.write(to: url, atomically: true, encoding: .utf8)
    if !record {
        XCTFail("recorded a new snapshot at \(url.path); check it by eye and run again", file: file, line: line)
    }
}

/// The repository's root, for reading the shipped lessons.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
