import Foundation
import XCTest
@testable import Engine

/// Every code line a trace shows is checked against the article's own text: a line marked
/// `article` is one of its statements, an `adapted` line names one of its statements and is
/// not itself one, an `added` line is not in the article.
///
/// The article is read from `../shared/seed/` beside the repository (or `TATAMI_ARTICLE`).
/// Where it is not on the machine, the statements it was last checked against
/// (`article-statements.txt`, written by this test with `TATAMI_RECORD=1`) stand in for it.
final class ArticleCodeTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixture = folder.appendingPathComponent("article-statements.txt")

    /// The article's text, if it is on this machine.
    static func article() -> String? {
        let env = ProcessInfo.processInfo.environment["TATAMI_ARTICLE"]
        let root = folder.deletingLastPathComponent().deletingLastPathComponent()
        let beside = root.deletingLastPathComponent().appendingPathComponent("shared/seed/000_4c77515f98c1da04.txt")
        for path in [env, beside.path].compactMap({ $0 }) {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return text }
        }
        return nil
    }

    /// The article's statements: its lines, a statement broken over several lines (open
    /// brackets) joined with single spaces, white space folded.
    static func statements(of text: String) -> Set<String> {
        var out: Set<String> = []
        var pending = ""
        var depth = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            guard !line.isEmpty else { continue }
            pending = pending.isEmpty ? line : pending + " " + line
            for ch in line {
                if "([{".contains(ch) { depth += 1 }
                if ")]}".contains(ch) { depth -= 1 }
            }
            if depth <= 0 {
                out.insert(pending.replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")"))
                pending = ""
                depth = 0
            }
        }
        return out
    }

    /// Every code line of every trace the layers can write: both forms, both layouts, both
    /// optimizers, max and average pooling, both routings, strides equal to the pool and not.
    static func shownLines() throws -> [CodeLine] {
        var lines: [CodeLine] = []
        func collect(_ rec: Collector) { for p in rec.phases where !lines.contains(p.code) { lines.append(p.code) } }
        let x = Tensor(shape: [1, 2, 4, 4], data: (0..<32).map { Double($0 % 7) })
        let w = Tensor(shape: [2, 2, 2, 2], data: (0..<16).map { Double($0 % 5) - 2 })
        for form in ConvForm.allCases {
            for layout in ColumnLayout.allCases {
                for optimizer in [Optimizer.defaultSGD, .defaultAdam] {
                    let rec = Collector()
                    let layer = try ConvLayer(w: w, b: Tensor(zeros: [2]), optimizer: optimizer, form: form, layout: layout)
                    let y = try layer.forward(x, recorder: rec)
                    _ = try layer.backward(y, recorder: rec)
                    layer.update(recorder: rec)
                    collect(rec)
                }
            }
        }
        for mode in PoolMode.allCases {
            for routing in Routing.allCases {
                for stride in [Pair(2), Pair(1)] {
                    let rec = Collector()
                    let layer = try PoolingLayer(pool: Pair(2), stride: stride, mode: mode)
                    let y = try layer.forward(x, recorder: rec)
                    _ = try layer.backward(y, routing: routing, recorder: rec)
                    collect(rec)
                }
            }
        }
        return lines
    }

    /// The article's statements that the code pane quotes, as `article-statements.txt` keeps them.
    static func quoted(_ lines: [CodeLine]) -> [String] {
        var out: Set<String> = []
        for line in lines {
            switch line.provenance {
            case .article: out.insert(line.text)
            case .adapted(let article, _): out.insert(article)
            case .added: break
            }
        }
        return out.sorted()
    }

    func testEveryCodeLineSaysTruthfullyWhereItComesFrom() throws {
        let lines = try Self.shownLines()
        XCTAssertGreaterThan(lines.count, 30, "the traces show the article's code")
        let statements: Set<String>
        if let article = Self.article() {
            statements = Self.statements(of: article)
            XCTAssertGreaterThan(statements.count, 100)
            let kept = (try? String(contentsOf: Self.fixture, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
            if ProcessInfo.processInfo.environment["TATAMI_RECORD"] == "1" {
                try (Self.quoted(lines).joined(separator: "\n") + "\n").write(to: Self.fixture, atomically: true, encoding: .utf8)
            } else {
                XCTAssertEqual(kept, Self.quoted(lines), "article-statements.txt is out of date: run with TATAMI_RECORD=1")
            }
        } else {
            let kept = try String(contentsOf: Self.fixture, encoding: .utf8)
            statements = Set(kept.split(separator: "\n").map(String.init))
        }
        for line in lines {
            switch line.provenance {
            case .article:
                XCTAssertTrue(statements.contains(line.text), "marked as the article's own but not in it: \(line.text)")
            case .adapted(let article, let change):
                XCTAssertTrue(statements.contains(article), "adapted from a line the article does not have: \(article)")
                XCTAssertFalse(statements.contains(line.text), "marked adapted but verbatim in the article: \(line.text)")
                XCTAssertNotEqual(line.text, article)
                XCTAssertFalse(change.isEmpty)
            case .added(let why):
                XCTAssertFalse(statements.contains(line.text), "marked added but in the article: \(line.text)")
                XCTAssertFalse(why.isEmpty)
            }
        }
    }

    /// The check above can fail: the statements of a small text, and a line not among them.
    func testStatementsJoinBrokenLinesAndFindOnlyWhatIsThere() {
        let text = """
            x, _, self.pad_state = im2col(x, self.F_shape,
                                          stride=self.stride,
                                          pad=self.pad)
            super().forward(x.T)
            """
        let s = Self.statements(of: text)
        XCTAssertTrue(s.contains("x, _, self.pad_state = im2col(x, self.F_shape, stride=self.stride, pad=self.pad)"))
        XCTAssertTrue(s.contains("super().forward(x.T)"))
        XCTAssertFalse(s.contains("self.u = x@self.w + self.b"))
    }
}
