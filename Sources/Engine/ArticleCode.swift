/// Every line the code pane shows, in one place, each with where it comes from: the article's
/// own statement, the article's statement with one change, or a line the article does not have.
/// A test checks each `article` line against the article's text.
public enum ArticleCode {
    // MARK: Both layers

    static let forward = CodeLine("def forward(self, x):")
    static let pad = CodeLine("x = np.pad(x, [(0, 0), (0, 0), (pad_ud, pad_ud), (pad_lr, pad_lr)], \"constant\")",
        .added(why: "im2col pads first (its code is in the article's companion post). The article's pad=\"same\" is a float, 0.5*(…), which np.pad refuses: Tatami pads by the whole number"),
        ja: "im2col関数が最初に行う処理です。記事の pad=\"same\" は 0.5*(…) という浮動小数点数になり、np.pad は受け付けません。Tatami は整数の幅で埋めます")
    static let crop = CodeLine("dx = dx_pad[:, :, pad_ud:pad_ud + I_h, pad_lr:pad_lr + I_w]",
        .added(why: "the last thing col2im does: the padding is cut off (col2im's code is in the article's companion post)"),
        ja: "col2im関数が最後に行う処理で、パディングを切り落とします(コードは記事の関連記事にあります)")

    // MARK: ConvLayer forward

    static let slide = CodeLine("Output[h, w] = Image[h:h_lim, w:w_lim] * Filter",
        note: "as the article writes it, the line has no .sum(): numpy cannot put the 2×2 products into one cell. The frame adds them up, as the loop means to",
        noteJa: "記事の行には .sum() がなく、このままでは 2×2 の積を 1 マスに入れられません。画面ではループの意図どおり積を足し合わせます")
    static let plainBias = CodeLine("self.u = self.w@self.x + self.b")
    static let plainU = CodeLine("self.u = self.u.reshape(M, B, O_h, O_w).transpose(1, 0, 2, 3)")
    static let activation = CodeLine("self.y = self.act.forward(self.u)")
    static let baseX = CodeLine("super().forward(x.T)")
    static let baseU = CodeLine("self.u = x@self.w + self.b",
        .added(why: "BaseLayer.forward, which super().forward(x.T) runs; the article's table writes it u = x@w + b"),
        ja: "super().forward(x.T) が実行する BaseLayer の forward です。記事の表では u = x@w + b と書かれています")
    static let baseY = CodeLine("return self.y.reshape(B, O_h, O_w, M).transpose(0, 3, 1, 2)")
    static let rowsX = CodeLine("self.x = self.x.T",
        .added(why: "im2col in the rows layout puts one placement per row; the article's product needs one per column"),
        ja: "行の並べ方の im2col は位置 1 か所を 1 行にしますが、記事の行列積には 1 か所 1 列が必要です")

    static func im2col(form: ConvForm, layout: ColumnLayout) -> CodeLine {
        let call = "im2col(x, self.F_shape, stride=self.stride, pad=self.pad)"
        let target = (form == .plain ? "self.x" : "x") + ", _, self.pad_state = "
        return layout == .seed ? CodeLine(target + call) : CodeLine(target + "im2col_rows" + call.dropFirst(6),
            .adapted(article: target + call,
                     change: "im2col_rows, the layout of \"Deep Learning from Scratch\": (B·O_h·O_w, C·F_h·F_w), one placement per row"),
            ja: "「ゼロから作る Deep Learning」の並べ方 im2col_rows に変えました。(B·O_h·O_w, C·F_h·F_w) で、位置 1 か所が 1 行です")
    }

    static func filterMatrix(_ form: ConvForm) -> CodeLine {
        let tail = form == .plain ? "" : ".T"
        return CodeLine("self.w = w.reshape(M, -1)" + tail,
            .adapted(article: "self.w = wb_width*np.random.randn(*self.F_shape).reshape(M, -1)" + tail,
                     change: "the lesson's filter w instead of a random one"),
            ja: "乱数の代わりにこのレッスンのフィルタ w を使います")
    }

    // MARK: ConvLayer backward

    static let dact = CodeLine("dact = grad*self.act.backward(self.u, self.y)")
    static let plainDact = CodeLine("dact = dact.transpose(1, 0, 2, 3).reshape(M, -1)")
    static let plainGradW = CodeLine("self.grad_w = dact@self.x.T")
    static let plainGradWShape = CodeLine("grad_w = self.grad_w.reshape(M, C, F_h, F_w)",
        .added(why: "the article's figure of grad_w reshaped to the filter's shape; its code keeps grad_w 2-D for the update"),
        ja: "記事の図にある、grad_w をフィルタの形状へ戻す変形です。記事のコードは更新のため grad_w を 2 次元のまま持ちます")
    static let plainGradB = CodeLine("self.grad_b = np.sum(dact, axis=1).reshape(M, 1)")
    static let plainGradX = CodeLine("self.grad_x = self.w.T@dact")
    static let baseGrad = CodeLine("grad = grad.transpose(0, 2, 3, 1).reshape(-1, M)")
    static let baseGradW = CodeLine("self.grad_w = self.x.T@dact",
        .added(why: "BaseLayer.backward, which super().backward(grad) runs; the article writes it grad_w = x.T@dact"),
        ja: "super().backward(grad) が実行する BaseLayer の backward です。記事では grad_w = x.T@dact と書かれています")
    static let baseGradWShape = CodeLine("grad_w = self.grad_w.T.reshape(M, C, F_h, F_w)",
        .added(why: "grad_w in the filter's shape, for the picture; BaseLayer keeps it 2-D for the update"),
        ja: "図のために grad_w をフィルタの形状にします。BaseLayer は更新のため 2 次元のまま持ちます")
    static let baseGradB = CodeLine("self.grad_b = np.sum(dact, axis=0)",
        .added(why: "BaseLayer.backward; the article writes it grad_b = sum(dact, axis=0)"),
        ja: "BaseLayer の backward です。記事では grad_b = sum(dact, axis=0) と書かれています")
    static let baseGradX = CodeLine("self.grad_x = dact@self.w.T",
        .added(why: "BaseLayer.backward; the article writes it grad_x = dact@w.T"),
        ja: "BaseLayer の backward です。記事では grad_x = dact@w.T と書かれています")
    static let rowsGradX = CodeLine("self.grad_x = self.grad_x.T",
        .added(why: "col2im in the rows layout takes one placement per row"),
        ja: "行の並べ方の col2im は位置 1 か所を 1 行として受け取ります")

    static func col2im(form: ConvForm, layout: ColumnLayout) -> CodeLine {
        let article = "self.grad_x = col2im(" + (form == .plain ? "self.grad_x" : "self.grad_x.T")
            + ", I_shape, self.O_shape, stride=self.stride, pad=self.pad_state)"
        guard layout == .rows else { return CodeLine(article) }
        return CodeLine("self.grad_x = col2im_rows(self.grad_x, I_shape, self.O_shape, stride=self.stride, pad=self.pad_state)",
                        .adapted(article: article, change: form == .plain
                            ? "col2im_rows takes one placement per row, so grad_x was transposed first"
                            : "col2im_rows takes one placement per row: grad_x as it is, without .T"),
                        ja: form == .plain
                            ? "col2im_rows は位置 1 か所を 1 行として受け取るので、先に grad_x を転置しました"
                            : "col2im_rows は位置 1 か所を 1 行として受け取るので、.T なしで grad_x をそのまま渡します")
    }

    // MARK: Update

    static func update(_ optimizer: Optimizer, bias: Bool) -> CodeLine {
        let p = bias ? "b" : "w"
        switch optimizer {
        case .sgd:
            return CodeLine("self.\(p) -= self.eta*self.grad_\(p)",
                .added(why: "BaseLayer.update with SGD (the article says the update needs no change and does not show it)"),
                ja: "SGD による BaseLayer の update です(記事は変更不要とだけ述べ、コードは載せていません)")
        case .adam:
            return CodeLine("self.\(p) -= self.alpha*m_hat/(np.sqrt(v_hat) + self.eps)",
                .added(why: "BaseLayer.update with Adam, written with the bias-corrected m_hat and v_hat that the frame shows (the article says the update needs no change and does not show it)"),
                ja: "Adam による BaseLayer の update を、画面に出すバイアス補正済みの m_hat と v_hat で書いたものです(記事は変更不要とだけ述べ、コードは載せていません)")
        }
    }

    // MARK: PoolingLayer

    static func poolIm2col(stride: Pair, pool: Pair) -> CodeLine {
        let text = "self.x, _, self.pad_state = im2col(x, self.F_shape, stride=self.pool, pad=self.pad_state)"
        return stride == pool ? CodeLine(text)
            : CodeLine("self.x, _, self.pad_state = im2col(x, self.F_shape, stride=\(stride), pad=self.pad_state)",
                       .adapted(article: text, change: "a stride other than the pool size, so that windows overlap"),
                       ja: "窓が重なるように、ストライドを窓の大きさ以外にしました")
    }

    static let poolRows = CodeLine("self.x = self.x.T.reshape(B*O_h*O_w*C, -1)")
    static let poolArgmax = CodeLine("self.max_index = np.argmax(self.x, axis=1)")
    static let poolMaxY = CodeLine("self.y = np.max(self.x, axis=1).reshape(B, O_h, O_w, C).transpose(0, 3, 1, 2)")
    static let poolMean = CodeLine("self.y = np.mean(self.x, axis=1)",
        .added(why: "average pooling, which the article names but does not write"),
        ja: "平均プーリングです。記事は名前を挙げるだけでコードは書いていません")
    static let poolMeanY = CodeLine("self.y = np.mean(self.x, axis=1).reshape(B, O_h, O_w, C).transpose(0, 3, 1, 2)",
        .adapted(article: poolMaxY.text, change: "np.mean for average pooling"),
        ja: "平均プーリングのため np.max を np.mean にしました")
    static let poolGrad = CodeLine("grad = grad.transpose(0, 2, 3, 1).reshape(-1, 1)")
    static let poolRouteBug = CodeLine("self.grad_x[:, self.max_index] = grad")
    static let poolRoute = CodeLine("self.grad_x[np.arange(grad.size), self.max_index] = grad.ravel()",
        .adapted(article: poolRouteBug.text,
                 change: "the fix: each row's gradient only at that row's argmax column (the article's line writes every row's gradient at every argmax column)"),
        ja: "修正版です。各行の勾配をその行の最大値の列にだけ置きます(記事の行では全ての行の勾配が全ての最大値の列に書き込まれます)")
    static let poolRouteMean = CodeLine("self.grad_x[:, :] = grad/(self.pool*self.pool)",
        .added(why: "average pooling shares each gradient evenly over its window"),
        ja: "平均プーリングでは各勾配を窓の中に均等に分けます")
    static let poolGradX = CodeLine("self.grad_x = self.grad_x.reshape(B*O_h*O_w, C*self.pool*self.pool).T")

    static func poolCol2im(stride: Pair, pool: Pair) -> CodeLine {
        let text = "self.grad_x = col2im(self.grad_x, I_shape, self.O_shape, stride=self.pool, pad=self.pad_state)"
        return stride == pool ? CodeLine(text)
            : CodeLine("self.grad_x = col2im(self.grad_x, I_shape, self.O_shape, stride=\(stride), pad=self.pad_state)",
                       .adapted(article: text, change: "a stride other than the pool size, so that windows overlap"),
                       ja: "窓が重なるように、ストライドを窓の大きさ以外にしました")
    }
}
