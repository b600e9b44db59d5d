import XCTest
import Engine
import Trace
@testable import Lessons

/// The wording of the shipped course, read beside the article: what each lesson says about the
/// numbers on its screen and about the article. Where a number in the narration follows from
/// the lesson's own shapes and values, it is computed here from them rather than written down.
final class CourseWordingTests: XCTestCase {

    // MARK: - Japanese style and notation, over the whole course

    func testJapaneseQuestionsEndWithAFullWidthQuestionMark() throws {
        for (name, l) in try course() {
            for text in texts(l, .ja) {
                XCTAssertFalse(text.contains("?"), "\(name): ASCII ? in Japanese: \(text)")
            }
            for q in l.questions {
                XCTAssertTrue(q.prompt.ja.hasSuffix("？"), "\(name): \(q.prompt.ja)")
            }
        }
    }

    func testNoJapaneseSentenceStartsWithNanode() throws {
        for (name, l) in try course() {
            for text in texts(l, .ja) {
                for sentence in japaneseSentences(text) {
                    XCTAssertFalse(sentence.hasPrefix("なので"), "\(name): \(sentence)")
                }
            }
        }
        let l04 = try courseLesson("04"), l06 = try courseLesson("06")
        XCTAssertTrue(try note(l04, .gemm).ja.contains("。そのため u = w@x の形状は"))
        XCTAssertTrue(try note(l06, .im2col).ja.contains("。そのため 1 列には"))
    }

    /// The article writes sizes as I_h, F_h, O_h, O_w; the Japanese narration does the same and
    /// never mixes them with OH, FW and the like.
    func testJapaneseWritesSizesInTheArticlesNotation() throws {
        let foreign = try Regex(#"(^|[^A-Za-z_])(OH|OW|FH|FW|PH|PW)($|[^A-Za-z_])"#)
        for (name, l) in try course() {
            for text in texts(l, .ja) {
                XCTAssertNil(text.firstMatch(of: foreign), "\(name): \(text)")
                XCTAssertFalse(text.contains("(B, C, H, W)"), "\(name): \(text)")
            }
        }
        let reshape = try note(courseLesson("01"), .reshape).ja
        XCTAssertTrue(reshape.contains("(M, B·O_h·O_w) = (1, 9)"), reshape)
        XCTAssertTrue(reshape.contains("reshape(M, B, O_h, O_w)"), reshape)
        XCTAssertTrue(try note(courseLesson("01"), .input).ja.contains("(B, C, I_h, I_w) = (1, 1, 4, 4)"))
        XCTAssertTrue(try note(courseLesson("06"), .input).ja.contains("(M, C, F_h, F_w) = (2, 2, 2, 2)"))
    }

    func testJapaneseSummariesAreWholeSentences() throws {
        for (name, l) in try course() {
            let sentences = l.summary.ja.split(separator: "。", omittingEmptySubsequences: true)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            XCTAssertTrue(l.summary.ja.hasSuffix("。"), "\(name): \(l.summary.ja)")
            for s in sentences {
                XCTAssertTrue(s.hasSuffix("す"), "\(name): a fragment in the summary: \(s)。")
            }
        }
        let summary = try courseLesson("01").summary.ja
        XCTAssertTrue(summary.hasPrefix("記事の例題をひと通りたどります。"), summary)
    }

    // MARK: - Counting from 0, as the screen does

    func testJapaneseNeverCountsRowsColumnsOrImagesFromOne() throws {
        let ordinal = try Regex(#"[0-9]+ ?(行|列|枚|段)目"#)
        for (name, l) in try course() {
            for text in texts(l, .ja) {
                XCTAssertNil(text.firstMatch(of: ordinal), "\(name): \(text)")
            }
        }
    }

    /// An index the narration names must exist on the screen: "image 2" with two images, or
    /// "filter 2" with two filters, counts from 1.
    func testEnglishIndicesAreWithinTheTensorsOnScreen() throws {
        let image = try Regex(#"\b[Ii]mage ([0-9]+)\b"#, as: (Substring, Substring).self)
        let filter = try Regex(#"\b[Ff]ilter ([0-9]+)\b"#, as: (Substring, Substring).self)
        let channel = try Regex(#"\b[Cc]hannel ([0-9]+)\b"#, as: (Substring, Substring).self)
        for (name, l) in try course() {
            let x = l.scenario.x.shape
            for text in texts(l, .en) {
                for m in text.matches(of: image) { XCTAssertLessThan(Int(m.1)!, x[0], "\(name): \(text)") }
                for m in text.matches(of: channel) { XCTAssertLessThan(Int(m.1)!, x[1], "\(name): \(text)") }
                if let w = l.scenario.w {
                    for m in text.matches(of: filter) { XCTAssertLessThan(Int(m.1)!, w.shape[0], "\(name): \(text)") }
                }
            }
        }
    }

    func testRowsOfTheProductAreNamedByTheirIndex() throws {
        let l03 = try courseLesson("03"), l04 = try courseLesson("04")
        let gemm = try note(l03, .gemm)
        XCTAssertTrue(gemm.en.contains("Row 0 of u is the output of filter 0, row 1 that of filter 1."), gemm.en)
        XCTAssertFalse(gemm.en.contains("row 2"), gemm.en)
        XCTAssertTrue(gemm.ja.contains("u の行 0 がフィルタ 0、行 1 がフィルタ 1 の出力です。"), gemm.ja)

        // The question before step 10 of the product: which row and column of u is that?
        let columns = try outputPlacements(l03)
        let q = try question(l03, .gemm, step: 10)
        let (row, column) = ((10 - 1) / columns, (10 - 1) % columns)
        XCTAssertTrue(q.prompt.en.contains("filter \(row)") && q.prompt.en.contains("column \(column)"), q.prompt.en)
        XCTAssertTrue(q.prompt.ja.contains("フィルタ \(row)") && q.prompt.ja.contains("列 \(column)"), q.prompt.ja)

        let b = try XCTUnwrap(l04.scenario.b).data
        let bias = try note(l04, .bias)
        XCTAssertTrue(bias.en.contains("Row 0 of u gains \(Int(b[0])) everywhere, row 1 gains \(Int(b[1]))."), bias.en)
        XCTAssertTrue(bias.ja.contains("u の行 0 はどこも +\(Int(b[0]))、行 1 は +\(Int(b[1])) です。"), bias.ja)
        let gemm04 = try note(l04, .gemm)
        XCTAssertTrue(gemm04.en.contains("the four placements on image 0, then the four on image 1"), gemm04.en)
        XCTAssertTrue(gemm04.ja.contains("画像 0 の 4 か所、続いて画像 1 の 4 か所"), gemm04.ja)
    }

    func testColumnsOfTheIm2colMatrixAreNamedByTheirIndex() throws {
        // Lesson 02: the first window of placement row oh = 1 is column 1·OW + 0.
        let l02 = try courseLesson("02")
        let ow = try outputSize(l02).w
        let q = try question(l02, .im2col, step: 1 * ow + 1)
        XCTAssertTrue(q.prompt.en.hasPrefix("Column \(1 * ow) (labelled 0,1,0"), q.prompt.en)
        XCTAssertTrue(q.prompt.ja.hasPrefix("列 \(1 * ow) (ラベルは 0,1,0"), q.prompt.ja)
        XCTAssertTrue(try note(l02, .im2col, step: 1).en.hasPrefix("Column 0 is the top-left window"))
        XCTAssertTrue(try note(l02, .im2col, step: 1).ja.hasPrefix("列 0 は左上の位置"))
        XCTAssertTrue(try note(l02, .im2col, step: 9).en.contains("row 0 is 1 2 3 5 6 7 9 10 11"))

        // Lesson 06: the first placement on image 1 is column 1·OH·OW, built by the step after it.
        let l06 = try courseLesson("06")
        let (oh6, ow6) = try outputSize(l06)
        let column = 1 * oh6 * ow6
        let n = try note(l06, .im2col, step: column + 1)
        XCTAssertTrue(n.en.hasPrefix("Column \(column) (labelled 1,0,0) is the first placement on image 1"), n.en)
        XCTAssertTrue(n.ja.hasPrefix("列 \(column) (ラベルは 1,0,0) は画像 1 の最初の位置"), n.ja)
        let im2col = try note(l06, .im2col)
        XCTAssertTrue(im2col.en.contains("image 0's four placements, then image 1's"), im2col.en)
        XCTAssertTrue(im2col.ja.contains("画像 0 の 4 か所、続いて画像 1 の 4 か所"), im2col.ja)

        let l01 = try courseLesson("01")
        let q01 = try question(l01, .im2col)
        XCTAssertTrue(q01.answer.en.contains("Row 0 holds the cell under W"), q01.answer.en)
        XCTAssertTrue(q01.prompt.ja.contains("行 0 にはどんな数が並ぶでしょう？"), q01.prompt.ja)
        let slide = try question(l01, .slide, step: 3)
        XCTAssertTrue(slide.prompt.en.contains("the last one in output row 0"), slide.prompt.en)
        XCTAssertTrue(slide.prompt.ja.contains("出力の行 0 の最後の c"), slide.prompt.ja)
        let q07 = try question(courseLesson("07"), .gradW, step: 1)
        XCTAssertTrue(q07.prompt.en.contains("(row 0 of the im2col matrix)"), q07.prompt.en)
        XCTAssertTrue(q07.prompt.ja.contains("(im2col の行列の行 0)"), q07.prompt.ja)
    }

    func testPoolingRowsAreNamedByTheirIndex() throws {
        // Lesson 09: rows of the tall matrix run (placement, channel); placement 0, channel 1 is row 0·C + 1.
        let l09 = try courseLesson("09")
        let c = l09.scenario.x.shape[1]
        let row = 0 * c + 1
        let q = try question(l09, .poolRows)
        XCTAssertTrue(q.prompt.en.hasPrefix("Row \(row) of this matrix"), q.prompt.en)
        XCTAssertTrue(q.prompt.ja.hasPrefix("この行列の行 \(row) "), q.prompt.ja)
        XCTAssertTrue(q.answer.en.hasPrefix("Placement 0 (top-left, oh = 0, ow = 0), channel 1"), q.answer.en)

        // Lesson 10: the question on route step 2 is about row 1; where does its gradient land?
        let l10 = try courseLesson("10")
        let windows = try poolWindows(l10)
        let grad = try XCTUnwrap(l10.scenario.grad).data
        let r = 2 - 1
        let (i, j) = windows[r].argmaxCell
        let q10 = try question(l10, .route, step: 2)
        // The prompt names only what the route frame shows: the window's values in x_pad, the
        // gradient in grad, the column order of grad_rows; max_index is recalled in the answer.
        let cells = windows[r].values.map { String(Int($0)) }
        let window = "\(cells[0]) \(cells[1]) / \(cells[2]) \(cells[3])"
        XCTAssertTrue(q10.prompt.en.hasPrefix("Row \(r) of grad is the gradient \(Int(grad[r])) of the top-right window, \(window) in x_pad."), q10.prompt.en)
        XCTAssertTrue(q10.prompt.ja.hasPrefix("grad の行 \(r) は右上の窓 (x_pad の \(window)) の勾配 \(Int(grad[r])) です。"), q10.prompt.ja)
        XCTAssertFalse(q10.prompt.en.contains("max_index") || q10.prompt.ja.contains("max_index"), "max_index is not on the route frame")
        let k = windows[r].argmax
        XCTAssertTrue(q10.answer.en.hasPrefix("grad_rows[\(r), \(k)]: row \(r), and column \(k) (\(k / 2),\(k % 2))"), q10.answer.en)
        XCTAssertTrue(q10.answer.en.contains("its maximum \(Int(windows[r].max)) is. That column is max_index[\(r)] = \(k), found in the argmax step; the \(Int(windows[r].max)) is x[0, 0, \(i), \(j)]."), q10.answer.en)
        XCTAssertTrue(q10.answer.ja.hasPrefix("grad_rows[\(r), \(k)] です。"), q10.answer.ja)
        XCTAssertTrue(q10.answer.ja.contains("max_index[\(r)] = \(k) で、\(Int(windows[r].max)) は x[0, 0, \(i), \(j)] です。"), q10.answer.ja)

        // Lesson 11, route step 2: row 1's own maximum, and the other columns in max_index.
        let l11 = try courseLesson("11")
        let w11 = try poolWindows(l11)
        let others = Set(w11.map(\.argmax)).subtracting([w11[1].argmax]).sorted()
        let n = try note(l11, .routeSeedBug, step: 2)
        XCTAssertTrue(n.en.hasPrefix("Row 1's maximum was at column \(w11[1].argmax), yet it also receives its \(Int(try XCTUnwrap(l11.scenario.grad).data[1])) in columns \(others[0]) and \(others[1])"), n.en)
        XCTAssertTrue(n.ja.hasPrefix("行 1 の最大値は列 \(w11[1].argmax) にありましたが、列 \(others[0]) と列 \(others[1]) にも"), n.ja)
    }

    // MARK: - Lesson 01: the article's loop, and the product

    func testTheArticlesLoopLineIsShownWithWhatItLeavesOut() throws {
        let slide = try note(courseLesson("01"), .slide)
        XCTAssertTrue(slide.en.contains("Output[h, w] = Image[h:h_lim, w:w_lim] * Filter"), slide.en)
        XCTAssertTrue(slide.en.contains("The line leaves out the sum of the four products, .sum()"), slide.en)
        XCTAssertTrue(slide.en.contains("numpy would refuse to store a 2×2 array in one cell"), slide.en)
        XCTAssertFalse(slide.en.contains("the four products are added up"), slide.en)
        XCTAssertTrue(slide.ja.contains("Output[h, w] = Image[h:h_lim, w:w_lim] * Filter"), slide.ja)
        XCTAssertTrue(slide.ja.contains("この行には 4 つの積の和 .sum() が抜けていて"), slide.ja)
        XCTAssertFalse(slide.ja.contains("二重ループそのもの"), slide.ja)
    }

    func testTheProductIsADotProductWithEachColumn() throws {
        let gemm = try note(courseLesson("01"), .gemm).ja
        XCTAssertTrue(gemm.contains("各列との内積が、ループで 4 つの積を足した和と同じになります"), gemm)
        XCTAssertFalse(gemm.contains("各列との積で"), gemm)
    }

    // MARK: - Lessons 02 and 03

    func testIm2colIsSaidToCopyInTheSummary() throws {
        let l = try courseLesson("02")
        let (oh, ow) = try outputSize(l)
        let w = try XCTUnwrap(l.scenario.w).shape
        let rows = w[1] * w[2] * w[3], columns = l.scenario.x.shape[0] * oh * ow
        XCTAssertTrue(l.summary.ja.contains("\(rows)×\(columns) の行列に展開する(コピーして並べる)"), l.summary.ja)
        XCTAssertFalse(l.summary.ja.contains("並べ替える"), l.summary.ja)
    }

    func testTheFilterRowsOrderIsSaidPlainly() throws {
        let n = try note(courseLesson("03"), .filterReshape).ja
        XCTAssertTrue(n.contains("各行の要素の並びは、im2col の行列の行の並びと同じ (c, fh, fw) の順です"), n)
        XCTAssertFalse(n.contains("行の中の並びは"), n)
    }

    // MARK: - Lesson 04: reshape and transpose are both views; what changes is the index

    func testReshapeAndTransposeAreDescribedByIndicesNotMovingMemory() throws {
        let l = try courseLesson("04")
        let reshape = try note(l, .reshape)
        XCTAssertFalse(reshape.en.contains("No value moves"), reshape.en)
        XCTAssertTrue(reshape.en.contains("their order in memory does not change"), reshape.en)
        XCTAssertTrue(reshape.ja.contains("メモリ上の並びは変わりません"), reshape.ja)
        XCTAssertFalse(reshape.ja.contains("動きません"), reshape.ja)

        let transpose = try note(l, .transpose)
        XCTAssertFalse(transpose.en.contains("values do move"), transpose.en)
        XCTAssertTrue(transpose.en.contains("numpy's transpose returns a view: nothing moves in memory. What changes is each value's index"), transpose.en)
        XCTAssertFalse(transpose.ja.contains("値が実際に動きます"), transpose.ja)
        XCTAssertTrue(transpose.ja.contains("ビューを返すので、メモリ上の値は動きません。今度は各値のインデックスが実際に変わります。"), transpose.ja)

        // The example is the output of image 1 under filter 0, at (oh, ow) = (0, 0).
        let v = try Int(convOutput(l, b: 1, m: 0, oh: 0, ow: 0))
        XCTAssertTrue(transpose.en.contains("\(v), image 1's output for filter 0, was at [0, 1, 0, 0] (m=0, b=1) and is now at [1, 0, 0, 0] (b=1, m=0)"), transpose.en)
        XCTAssertTrue(transpose.ja.contains("画像 1 にフィルタ 0 を掛けた結果の \(v) は、[0, 1, 0, 0] (m=0, b=1) から [1, 0, 0, 0] (b=1, m=0) に変わり"), transpose.ja)
    }

    func testThePlainFormIsNotCalledTheArticlesFirstForm() throws {
        let file04 = try builtIn("04")
        XCTAssertFalse(file04.contains("first form"), "lesson 04")
        XCTAssertTrue(file04.contains("工夫なしver."), "lesson 04")
        XCTAssertTrue(file04.contains("The article's main listing is the form\nthat reuses `BaseLayer`"), "lesson 04")
        let l = try courseLesson("04b")
        XCTAssertFalse(l.summary.en.contains("second form"), l.summary.en)
        XCTAssertTrue(l.summary.en.contains("the form of the article's main listing, which inherits BaseLayer"), l.summary.en)
        XCTAssertFalse(l.summary.ja.contains("2 つ目の書き方"), l.summary.ja)
        XCTAssertTrue(l.summary.ja.contains("記事の実装コードの形 (BaseLayer を継承するために「少しの工夫」をした版)"), l.summary.ja)
        XCTAssertTrue(try builtIn("04b").contains("`(w@x).T = x.T@w.T`"), "lesson 04b")
    }

    // MARK: - Lesson 04b

    func testBaseFormWording() throws {
        let l = try courseLesson("04b")
        let transpose = try note(l, .transpose).ja
        XCTAssertTrue(transpose.contains("1 行を 1 サンプルとして x@w を計算する"), transpose)
        XCTAssertFalse(transpose.contains("1 行が 1 サンプルの"), transpose)

        let m = try XCTUnwrap(l.scenario.w).shape[0]
        let weights = try note(l, .transpose, occurrence: 2).ja
        XCTAssertTrue(weights.contains("ユニット数 \(m) の全結合層"), weights)
        XCTAssertFalse(weights.contains("ユニット \(m) 個"), weights)

        let reshape = try note(l, .reshape).ja
        XCTAssertTrue(reshape.hasPrefix("戻り値の式のうち、まず self.y.reshape(B, O_h, O_w, M) の部分です。"), reshape)

        // transpose(0, 3, 1, 2): the filter axis, last in (B, O_h, O_w, M), goes to the place
        // where the permutation reads it.
        let last = try note(l, .transpose, occurrence: 3)
        let permutation = [0, 3, 1, 2]
        XCTAssertTrue(last.en.hasPrefix("transpose(\(permutation.map(String.init).joined(separator: ", ")))"), last.en)
        let from = permutation.count - 1, to = try XCTUnwrap(permutation.firstIndex(of: from))
        XCTAssertTrue(last.en.contains("from last (axis \(from)) to second (axis \(to))"), last.en)
        XCTAssertTrue(last.ja.contains("フィルタの軸を最後 (軸 \(from)) から前から 2 番目 (軸 \(to)) へ移し"), last.ja)
        XCTAssertFalse(last.ja.contains("最後から 2 番目"), last.ja)
    }

    // MARK: - Lesson 05: pad "same"

    func testSamePaddingAtStrideTwoIsTwoAndAHalfCells() throws {
        let l = try courseLesson("05")
        guard case .same = l.scenario.pad else { return XCTFail("lesson 05 pads with \"same\"") }
        let i = l.scenario.x.shape[2], f = try XCTUnwrap(l.scenario.w).shape[2]
        let twice = (i - 1) * 2 - i + f
        let pad = Double(twice) / 2
        XCTAssertNotEqual(pad, pad.rounded(), "the point of the sentence is a pad that is not whole")
        let n = try note(l, .pad)
        XCTAssertTrue(n.en.contains("= \(twice)/2 = \(pad) cells of padding, which is not a whole number"), n.en)
        XCTAssertFalse(n.en.contains("half a cell"), n.en)
        XCTAssertTrue(n.ja.contains("= \(twice)/2 = \(pad) となり、\(pad) マスという整数でないパディング"), n.ja)
        XCTAssertFalse(n.ja.contains("半マス"), n.ja)
        // What the article does with it: its __init__ keeps the 0.5*(...) value in self.pad.
        XCTAssertTrue(n.en.contains("the article's __init__ would store \(pad) in self.pad"), n.en)
        XCTAssertTrue(n.ja.contains("記事の __init__ はこの \(pad) をそのまま self.pad に入れます"), n.ja)
    }

    func testCellsOutsideTheImageAreCountedAsOnScreen() throws {
        let l = try courseLesson("05")
        let counts = try outsideCounts(l)
        let f = try XCTUnwrap(l.scenario.w).shape[2]
        let cells = f * f
        let first = counts[0][0]
        let start = try note(l, .slide, step: 1)
        XCTAssertTrue(start.en.contains("\(first) of its \(cells) cells lie outside the image"), start.en)
        XCTAssertTrue(start.en.contains("the \(first) products that start with 0"), start.en)
        XCTAssertFalse(start.en.contains("three zeros"), start.en)
        XCTAssertTrue(start.ja.contains("フィルタの \(cells) マスのうち \(first) マスは画像の外にはみ出します"), start.ja)
        XCTAssertTrue(start.ja.contains("はみ出した部分は 0 なので何も加わりません"), start.ja)
        XCTAssertTrue(start.ja.contains("0 から始まる \(first) つの積"), start.ja)

        let oh = counts.count, ow = counts[0].count
        let corner = counts[0][0]
        let edge = counts[0][1]
        let inner = counts.joined().filter { $0 == 0 }.count
        XCTAssertEqual(Set([counts[0][ow - 1], counts[oh - 1][0], counts[oh - 1][ow - 1]]), [corner])
        let phase = try note(l, .slide)
        XCTAssertTrue(phase.en.hasPrefix("\(oh * ow) placements give \(oh * ow) outputs."), phase.en)
        XCTAssertTrue(phase.en.contains("\(corner) of its \(cells) cells at each corner, \(edge) along an edge, and none at the \(inner) placements in the middle"), phase.en)
        XCTAssertFalse(phase.en.contains("half"), phase.en)
        XCTAssertTrue(phase.ja.contains("フィルタの \(cells) マスのうち、角では \(corner) マス、辺では \(edge) マスで、真ん中の \(inner) か所では 1 マスもはみ出しません"), phase.ja)
        XCTAssertFalse(phase.ja.contains("半分"), phase.ja)

        // The question names the output whose window is centred on the 6: its index, from 0.
        let six = try XCTUnwrap(l.scenario.x.data.firstIndex(of: 6))
        let (row, column) = (six / l.scenario.x.shape[3], six % l.scenario.x.shape[3])
        XCTAssertEqual(counts[row][column], 0)
        let q = try question(l, .slide, step: row * ow + column + 1)
        XCTAssertTrue(q.prompt.en.hasPrefix("The output out[0, 0, \(row), \(column)] is centred on the 6"), q.prompt.en)
        XCTAssertTrue(q.prompt.ja.hasPrefix("出力 out[0, 0, \(row), \(column)] は 6 のマスが中心"), q.prompt.ja)
    }

    // MARK: - Lesson 05b: cells the filter never reaches

    func testUnreachedCellsGetZeroGradientAndDoNotLearn() throws {
        let l = try courseLesson("05b")
        let x = l.scenario.x.shape
        let crop = try note(l, .crop)
        XCTAssertFalse(crop.en.contains("learn"), crop.en)
        XCTAssertTrue(crop.en.contains("the gradient sent back to them is zero"), crop.en)
        XCTAssertTrue(crop.ja.hasPrefix("\(x[2])×\(x[3]) に切り出した入力の勾配です。"), crop.ja)
        XCTAssertTrue(crop.ja.contains("これらのマスの値は"), crop.ja)
        XCTAssertFalse(crop.ja.contains("切り戻した") || crop.ja.contains("このマスの値は"), crop.ja)
        XCTAssertTrue(crop.ja.contains("そこへ逆伝播される勾配は 0 です"), crop.ja)
    }

    // MARK: - Lesson 08: col2im adds

    func testCol2imWordingAndCounts() throws {
        let l = try courseLesson("08")
        let (oh, ow) = try outputSize(l)
        let x = l.scenario.x.shape, f = try XCTUnwrap(l.scenario.w).shape
        var cover = [[Int]](repeating: [Int](repeating: 0, count: x[3]), count: x[2])
        for r in 0..<oh { for c in 0..<ow { for i in 0..<f[2] { for j in 0..<f[3] { cover[r + i][c + j] += 1 } } } }
        let counts = cover.map { $0.map(String.init).joined(separator: " ") }.joined(separator: " / ")
        // The summary is shown at the lesson's first step: it names the count, not its values,
        // which the question before col2im's last step asks for.
        XCTAssertTrue(l.summary.ja.contains("各マスを覆っていた窓の数になります"), l.summary.ja)
        XCTAssertFalse(l.summary.ja.contains(counts) || l.summary.en.contains(counts), l.summary.en)
        XCTAssertTrue(try question(l, .col2im, step: 4).answer.en.hasSuffix(counts + "."))
        XCTAssertFalse(l.summary.ja.contains("いくつの窓に入っていた"), l.summary.ja)

        let col2im = try note(l, .col2im).ja
        XCTAssertTrue(col2im.contains("勾配の計算としてはこれで正しいのです"), col2im)
        XCTAssertTrue(col2im.contains("損失に効く"), col2im)
        XCTAssertFalse(col2im.contains("正解です") || col2im.contains("出力に効く"), col2im)

        // The question about the finished result is asked before the last column is added,
        // so that its answer appears when col2im has finished, not before it starts.
        let q = try question(l, .col2im, step: oh * ow)
        XCTAssertTrue(q.answer.en.contains(counts), q.answer.en)
        XCTAssertTrue(l.questions(for: PhaseRef(kind: .col2im), step: nil).isEmpty)
    }

    // MARK: - Lessons 09 to 11: pooling

    func testArgmaxOrderIsRowMajor() throws {
        let n = try note(courseLesson("09"), .argmax).ja
        XCTAssertTrue(n.contains("左上から行優先の順"), n)
        XCTAssertFalse(n.contains("行ごとの順"), n)
    }

    func testPoolingBackwardWording() throws {
        let l = try courseLesson("10")
        let windows = try poolWindows(l)
        let grad = try XCTUnwrap(l.scenario.grad).data
        XCTAssertTrue(try note(l, .reshape, occurrence: 2).ja.contains("各行に勾配が 1 つずつ入った列ベクトル"))
        XCTAssertFalse(try note(l, .reshape, occurrence: 2).ja.contains("縦ベクトル"))
        let route = try note(l, .route)
        XCTAssertTrue(route.ja.hasPrefix("窓(とチャンネル)ごとに 1 行を持つゼロ行列を作り"), route.ja)
        XCTAssertTrue(route.en.hasPrefix("A zero matrix with one row per window (and channel)"), route.en)
        XCTAssertTrue(try note(l, .transpose, occurrence: 4).ja.hasPrefix("……そして .T で"))

        // The first window's maximum is the top-left cell of the image (argmax takes the first 6).
        XCTAssertEqual(windows[0].argmaxCell.row, 0)
        XCTAssertEqual(windows[0].argmaxCell.column, 0)
        let crop = try note(l, .crop)
        XCTAssertTrue(crop.ja.hasPrefix("入力の勾配は、左上の \(Int(windows[0].max)) に \(Int(grad[0]))、"), crop.ja)
        XCTAssertTrue(crop.en.hasPrefix("The input's gradient: \(Int(grad[0])) on the top-left \(Int(windows[0].max)),"), crop.en)
        XCTAssertFalse(crop.en.contains("learn"), crop.en)
        let cells = l.scenario.x.data.count
        XCTAssertTrue(crop.ja.contains("\(cells) マスのうち \(cells - windows.count) マスには勾配が届きません"), crop.ja)
    }

    /// The article's routing line writes each row's gradient into every column named in
    /// max_index: with the input's windows, that is the number of distinct columns per row.
    func testFancyIndexingSummaryAndCount() throws {
        let l = try courseLesson("11")
        let windows = try poolWindows(l)
        let distinct = Set(windows.map(\.argmax)).count
        XCTAssertTrue(l.summary.ja.contains("各行の勾配を max_index に現れるすべての列に書き込んで"), l.summary.ja)
        XCTAssertFalse(l.summary.ja.contains("全ての最大値のインデックスの列"), l.summary.ja)
        XCTAssertTrue(l.summary.en.contains("into every column that appears in max_index"), l.summary.en)
        let crop = try note(l, .crop)
        XCTAssertTrue(crop.ja.hasPrefix("0 でないマスが \(windows.count) 個ではなく \(windows.count * distinct) 個になりました。"), crop.ja)
        XCTAssertTrue(crop.ja.contains("数値微分による勾配チェック"), crop.ja)
        XCTAssertFalse(crop.ja.contains("数値微分と比べれば"), crop.ja)
    }

    /// The input of lesson 11 has a tie; a central difference splits the gradient there, so a
    /// gradient check would flag the correct routing too. The narration must say so.
    func testFiniteDifferenceCheckIsHonestAboutTheTie() throws {
        let l = try courseLesson("11")
        let windows = try poolWindows(l)
        let grad = try XCTUnwrap(l.scenario.grad).data
        let tied = try XCTUnwrap(windows.firstIndex { w in w.values.filter { $0 == w.max }.count == 2 })
        XCTAssertEqual(tied, 0, "the narration places the tie in the top-left window")
        let v = Int(windows[tied].max)
        // f(x + h) − f(x − h) over 2h at a tied maximum: up by h on one side, flat on the other.
        let central = grad[tied] * 0.5
        let crop = try note(l, .crop)
        XCTAssertFalse(crop.en.contains("at once"), crop.en)
        XCTAssertTrue(crop.en.contains("it would flag the correct line too: the top-left window has a tie, two \(v)s"), crop.en)
        XCTAssertTrue(crop.en.contains("a central difference gives \(central) to each \(v) where the correct code gives \(Int(grad[tied])) and 0"), crop.en)
        XCTAssertFalse(crop.ja.contains("すぐに見つかる"), crop.ja)
        XCTAssertTrue(crop.ja.contains("正しい行までチェックに引っかかります"), crop.ja)
        XCTAssertTrue(crop.ja.contains("最大値の \(v) が 2 つ (同点) あり、中心差分はどちらの \(v) にも \(central) を与える"), crop.ja)
    }

    // MARK: - Lessons 12 and 12b: the update

    func testAdamIsDescribedWithBiasCorrectedAverages() throws {
        let l = try courseLesson("12b")
        let update = try note(l, .update)
        XCTAssertTrue(update.ja.contains("指数移動平均"), update.ja)
        XCTAssertTrue(update.ja.contains("バイアス補正した m̂/√v̂ が更新量(向きと大きさ)を決めます"), update.ja)
        XCTAssertFalse(update.ja.contains("偏りを補正") || update.ja.contains("m/√v"), update.ja)
        XCTAssertTrue(update.en.contains("exponential moving averages"), update.en)
        XCTAssertTrue(update.en.contains("m̂/√v̂ sets the step, its direction and its size"), update.en)
        XCTAssertFalse(update.en.contains("running averages") || update.en.contains("m/√v"), update.en)
        XCTAssertTrue(l.summary.ja.contains("指数移動平均"), l.summary.ja)
        XCTAssertFalse(l.summary.en.contains("running averages"), l.summary.en)
    }

    // MARK: - Every frame has the lesson's own narration

    /// Frames of the forward pass that a backward lesson shows first (its reshape and transpose),
    /// and the second update of Adam, used to fall back to a generic sentence; every shown step
    /// now has the lesson's narration.
    func testEveryShownStepHasTheLessonsOwnNarration() throws {
        for (name, l) in try course() {
            guard case .success(let trace) = LessonReader.check(l) else { XCTFail(name); continue }
            for (i, phase) in trace.phases.enumerated() where l.shows(phase.kind, occurrence: phase.occurrence) {
                let next = i + 1 < trace.phases.count ? trace.phaseFirstStep[i + 1] : trace.stepCount
                let ref = PhaseRef(kind: phase.kind, occurrence: phase.occurrence)
                for step in 1...(next - trace.phaseFirstStep[i]) {
                    XCTAssertTrue(l.note(for: ref, step: step) != nil || l.note(for: ref) != nil,
                                  "\(name): \(ref) step \(step) has no narration")
                }
            }
        }
        let l07 = try courseLesson("07")
        XCTAssertFalse(try note(l07, .transpose).en.contains("shown again first"))
        XCTAssertTrue(try note(l07, .reshape).en.hasPrefix("Two frames of the forward pass come first, for reference"))
    }
}
