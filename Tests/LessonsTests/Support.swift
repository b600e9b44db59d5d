import Foundation
import XCTest
import Engine
@testable import Lessons

/// The repository's root, found from this file's path (Tests/LessonsTests/Support.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// The shipped lesson files, by name, in order.
func shippedLessons() throws -> [(name: String, text: String)] {
    let folder = repositoryRoot.appendingPathComponent("Lessons")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
    return try names.map { ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
}

struct NoFiles: Error, CustomStringConvertible {
    var description: String { "no files in this test" }
}

func parse(_ text: String, npy: [String: Tensor] = [:]) -> Result<Lesson, LessonProblems> {
    LessonReader.parse(text, path: "t.md") { name in
        guard let t = npy[name] else { throw NoFiles() }
        return t
    }
}

func problems(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [LessonProblem] {
    switch parse(text) {
    case .success: XCTFail("expected problems", file: file, line: line); return []
    case .failure(let p): return Array(p)
    }
}

func lesson(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Lesson? {
    switch parse(text) {
    case .success(let l): return l
    case .failure(let p): XCTFail("unexpected problems:\n\(p)", file: file, line: line); return nil
    }
}

/// A small valid lesson to mutate in tests; line numbers below refer to it.
let minimal = """
---
title.en: Tiny
title.ja: 小さな例
operation: conv
x.shape: 1,1,3,3
w.shape: 1,1,2,2
w.symbols: W X Y Z
---
## slide
en: The window slides.
ja: フィルタをずらします。
"""
