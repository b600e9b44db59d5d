import Engine

/// Titles and default narration of each phase, in both languages. A lesson's own narration
/// replaces the default; free play shows these. Where the words depend on the layer (the
/// im2col layout, which parameter an update changes, the optimizer), they are read from the
/// trace's phase and layer, never guessed.
enum PhaseText {
    static func title(_ phase: PhaseInfo, layer: LayerInfo, _ language: Language) -> String {
        let ja = language == .ja
        switch phase.kind {
        case .im2col:
            // Seed layout: one placement per column, (C·F_h·F_w, B·O_h·O_w); rows layout: its transpose.
            let column = layer.layout == .seed
            let unit = layer.operation == .pool ? (ja ? "窓" : "window") : (ja ? "フィルタ" : "placement")
            if ja { return "im2col関数: \(unit)の位置 1 か所につき 1 \(column ? "列" : "行")" }
            return "im2col: one \(column ? "column" : "row") per \(unit)"
        case .update:
            let bias = phase.occurrence > 1
            if ja { return bias ? "バイアスの更新" : "フィルタの更新" }
            return bias ? "The bias update" : "The filter update"
        default:
            let t = table[phase.kind] ?? (phase.kind.rawValue, phase.kind.rawValue, "", "")
            return ja ? t.1 : t.0
        }
    }

    static func narration(_ phase: PhaseInfo, layer: LayerInfo, _ language: Language) -> String {
        let ja = language == .ja
        switch phase.kind {
        case .im2col where layer.operation == .pool || layer.layout == .rows:
            // Pooling keeps the article's layout, a window per column; the rows layout of a
            // convolution puts a placement in each row.
            let pool = layer.operation == .pool
            let (unitJa, unitEn) = pool ? ("窓の位置", "window") : ("フィルタを置く位置", "filter placement")
            let (lineJa, lineEn, otherJa, otherEn) = pool ? ("列", "column", "行", "rows") : ("行", "row", "列", "columns")
            return ja ? "\(unitJa)ごとに、その範囲の画素を cols の 1 \(lineJa)にコピーします。\(otherJa)の順番は (c, fh, fw) です。"
                : "Each \(unitEn) is copied into one \(lineEn) of cols, \(otherEn) ordered by (c, fh, fw)."
        case .gemm where layer.form == .base:
            return ja ? "出力を行列積 x@w でまとめて計算します。im2col 行列の転置の 1 行とフィルタ行列の 1 列の内積が 1 つの出力です。"
                : "Every output at once, x@w: one row of the transposed im2col matrix times one column of filters."
        case .gradCols where layer.form == .base:
            return ja ? "勾配とフィルタの行列積 dact@w.T です。形状は順伝播で im2col した結果の転置と同じになります。"
                : "dact @ w.T has the shape of the transposed im2col matrix: one row per filter placement."
        case .update:
            let bias = phase.occurrence > 1
            let (p, name) = bias ? ("b", ja ? "バイアス" : "bias") : ("w", ja ? "変形済みのフィルタ" : "reshaped filter")
            switch layer.optimizer ?? .defaultSGD {
            case .sgd:
                return ja ? "\(name)は通常のレイヤと同じように、勾配と逆向きに動きます: \(p) ← \(p) − 学習率·grad_\(p)"
                    : "The \(name) learns like any layer's parameter: \(p) ← \(p) − lr·grad_\(p)."
            case .adam:
                return ja ? "\(name)を Adam で更新します。バイアス補正した m̂ と v̂ から \(p) ← \(p) − 学習率·m̂/(√v̂ + ε) です。"
                    : "The \(name) is updated by Adam: from the bias-corrected m̂ and v̂, \(p) ← \(p) − lr·m̂/(√v̂ + ε)."
            }
        default:
            let t = table[phase.kind] ?? (phase.kind.rawValue, phase.kind.rawValue, "", "")
            return ja ? t.3 : t.2
        }
    }

    // (English title, Japanese title, English narration, Japanese narration)
    private static let table: [PhaseKind: (String, String, String, String)] = [
        .input: ("The input", "入力",
                 "The input tensor x of shape (B, C, H, W): batch, channels, height, width.",
                 "入力テンソル x です。形状は (B, C, H, W)、つまりバッチサイズ・チャンネル数・高さ・幅です。"),
        .pad: ("Zero padding", "パディング",
               "The input is surrounded by zeros so that the filter can also sit on the border.",
               "入力の周りを0で埋めます。これでフィルタが端の画素にもかかるようになります。"),
        .slide: ("The sliding filter", "フィルタをずらす",
                 "The naive loop: the filter slides over the input; each output is a sum of products.",
                 "素朴なループです。フィルタを入力の上でずらしながら、要素積の和を出力に書き込みます。"),
        .im2col: ("", "",
                  "Each filter placement is copied into one column of cols, rows ordered by (c, fh, fw).",
                  "フィルタを置く位置ごとに、その範囲の画素を cols の1列にコピーします。行の順番は (c, fh, fw) です。"),
        .filterReshape: ("The filter reshape", "フィルタの変形",
                         "The filter (M, C, FH, FW) becomes a matrix (M, C·FH·FW): one row per filter. This is done once.",
                         "フィルタ (M, C, FH, FW) を (M, C·FH·FW) の行列に変形します。1行が1枚のフィルタです。変形は最初の1回だけで十分です。"),
        .gemm: ("One matrix product", "行列積",
                "Every output at once: one row of filters times one column of im2col.",
                "出力を行列積でまとめて計算します。フィルタ行列の1行と im2col 行列の1列の内積が1つの出力です。"),
        .bias: ("Bias broadcast", "バイアスの加算",
                "The bias is added to every column: numpy's broadcast repeats it.",
                "バイアスを全ての列に足します。numpy のブロードキャスト機能で同じ値が各列に加算されます。"),
        .reshape: ("Reshape", "変形 (reshape)",
                   "Same numbers in the same order, read with a new shape.",
                   "同じ数を同じ順番のまま、新しい形状として読み直します。"),
        .transpose: ("Transpose", "次元の入れ替え (transpose)",
                     "Axes change places: each value gets a new index (numpy's transpose is a view).",
                     "軸を入れ替えます。各値のインデックスが変わります(transpose はビュー)。"),
        .activation: ("Activation", "活性化関数",
                      "The activation function is applied element by element.",
                      "活性化関数を要素ごとに通します。"),
        .dactivation: ("Gradient through the activation", "活性化関数の微分",
                       "The incoming gradient times the activation's derivative, element by element.",
                       "伝播してきた勾配と活性化関数の微分の要素積をとります。"),
        .gradW: ("Filter gradient", "フィルタの勾配",
                 "grad_w is the gradient matrix times the im2col matrix, transposed.",
                 "フィルタへの勾配は、勾配と im2col した入力との行列積で計算されます。"),
        .gradWReshape: ("Filter gradient reshape", "フィルタの勾配の変形",
                        "grad_w goes back to the filter's shape (M, C, FH, FW).",
                        "得られた2次元行列をフィルタと同じ形状の4次元テンソルに変形します。"),
        .gradB: ("Bias gradient", "バイアスの勾配",
                 "The bias was added to every column, so every column sends its gradient back to it: a sum over axis 1.",
                 "順伝播でバイアスを全ての列に足したので、全ての列から同じバイアスへ勾配が戻ります。列方向の和がバイアスの勾配です。"),
        .gradCols: ("Input gradient, im2col-shaped", "入力の勾配 (im2col の形)",
                    "w.T @ dact has the shape of the im2col matrix: one column per filter placement.",
                    "フィルタと勾配の行列積です。形状は順伝播で im2col した結果と同じになります。"),
        .col2im: ("col2im adds", "col2im関数は足し合わせる",
                  "Each column is added back into its window. Cells covered by several windows accumulate: col2im is the adjoint of im2col, not its inverse.",
                  "各列をもとの窓の位置に足し戻します。複数の窓に重なる画素は加算されます。col2im は im2col の逆関数ではなく随伴です。"),
        .crop: ("Crop the padding", "パディングの除去",
                "The padding cells are cut away: the gradient has the input's shape again.",
                "パディング部分を切り落とし、入力と同じ形状の勾配になります。"),
        .poolRows: ("One row per window and channel", "窓とチャンネルごとに1行",
                    "x.T.reshape(B·OH·OW·C, -1): each row holds one window of one channel.",
                    "x.T.reshape(B·OH·OW·C, -1) で、1行が1チャンネルの1つの窓になります。"),
        .argmax: ("Max and argmax of each row", "各行の最大値とそのインデックス",
                  "The maximum of each row is the output; its column is kept for the way back (first maximum wins ties).",
                  "各行の最大値が出力です。逆伝播のために最大値のインデックスを保持します(同じ値なら最初のもの)。"),
        .poolMean: ("Mean of each row", "各行の平均",
                    "Average pooling: each output is the mean of its window.",
                    "平均プーリングです。各出力は窓の平均値です。"),
        .route: ("Routing the gradient", "勾配の配置",
                 "Each row's gradient goes to that row's argmax column of a zero matrix; the rest stay zero.",
                 "空の行列の、各行の最大値があったインデックスに、その行の勾配を配置します。"),
        .routeSeedBug: ("The fancy-indexing pitfall", "ファンシーインデックスの落とし穴",
                        "grad_x[:, max_index] = grad writes every row's gradient into every argmax column: it needs a row index.",
                        "grad_x[:, max_index] = grad では、全ての行の全ての最大値インデックスの列に勾配が書き込まれてしまいます。行のインデックスも必要です。"),
    ]
}

/// Fixed words of the frame.
enum Words {
    static func step(_ l: Language) -> String { l == .ja ? "ステップ" : "step" }
    static func phase(_ l: Language) -> String { l == .ja ? "フェーズ" : "phase" }
    static func element(_ l: Language) -> String { l == .ja ? "要素" : "element" }
    static func windows(_ l: Language) -> String { l == .ja ? "各マスを覆う窓の数" : "windows per cell" }
    static func forward(_ l: Language) -> String { l == .ja ? "順伝播" : "forward" }
    static func backward(_ l: Language) -> String { l == .ja ? "逆伝播" : "backward" }
    static func update(_ l: Language) -> String { l == .ja ? "学習" : "update" }
    static func conv(_ l: Language) -> String { l == .ja ? "畳み込み層" : "convolution" }
    static func pool(_ l: Language) -> String { l == .ja ? "プーリング層" : "pooling" }
}
