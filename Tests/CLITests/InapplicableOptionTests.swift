import Foundation
import XCTest

/// Free-play options that do not apply to what is played are refused with one sentence saying
/// why (exit code 64), not silently ignored.
final class InapplicableOptionTests: XCTestCase {
    private func refused(_ arguments: [String], _ sentence: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try Executable.run(arguments, timeout: 30, file: file, line: line)
        XCTAssertEqual(r.status, 64, "\(arguments): \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stderr, "tatami: \(sentence).\n", "\(arguments)", file: file, line: line)
        XCTAssertEqual(r.stdout, "", file: file, line: line)
    }

    func testConvolutionOptionsAreRefusedForPooling() throws {
        let cases: [(String, String, String)] = [
            ("--filter", "1,1,2,2", "pooling has a window (--pool), not a filter"),
            ("--w", "w.npy", "pooling has no weights; its window is --pool"),
            ("--b", "b.npy", "pooling has no bias"),
            ("--dilation", "2", "pooling windows are not dilated"),
            ("--form", "base", "the plain and base forms are the article's two ConvLayer forms"),
            ("--activation", "relu", "the article's PoolingLayer has no activation"),
        ]
        for (option, value, why) in cases {
            try refused(["play", "--op", "pool", option, value], "\(option) does not apply to pooling: \(why)")
        }
        try refused(["play", "--op", "pool", "--passes", "update"],
                    "--passes update does not apply to pooling: pooling has no parameters to learn, so there is no update step; use --passes backward")
    }

    func testPoolingOptionsAreRefusedForAConvolution() throws {
        try refused(["play", "--op", "conv", "--pool", "2"],
                    "--pool does not apply to a convolution: a convolution's window is its filter (--filter or --w)")
        try refused(["trace", "--op", "conv", "--pool-mode", "average"],
                    "--pool-mode does not apply to a convolution: it chooses between max and average pooling")
    }

    func testOptionsThatNeedAnotherOptionOrExcludeOne() throws {
        try refused(["play", "--op", "conv", "--dy", "dy.npy"],
                    "--dy is the incoming gradient, used only by the backward pass: add --passes backward")
        try refused(["play", "--op", "conv", "--x", "x.npy", "--shape", "1,1,4,4"], "give either --x or --shape, not both")
        try refused(["play", "--op", "conv", "--w", "w.npy", "--filter", "1,1,2,2"], "give either --w or --filter, not both")
        try refused(["play", "--op", "pool", "--x", "x.npy", "--seed", "4"],
                    "--seed does not apply here: every array is read from a file, none is generated")
        try refused(["render", "1", "--op", "conv"], "give a lesson or --op for free play, not both")
        try refused(["trace", "--op", "conv", "--lessons", "."], "--lessons does not apply to free play, which reads no lesson")
    }

    /// A lesson sets its own layer: free-play options beside it would be ignored.
    func testFreePlayOptionsWithoutOpAreRefused() throws {
        try refused(["play", "1", "--stride", "2"], "--stride is for free play: add --op conv or --op pool")
        try refused(["render", "1", "--passes", "backward"], "--passes is for free play: add --op conv or --op pool")
        try refused(["trace", "1", "--seed", "3"], "--seed is for free play: add --op conv or --op pool")
    }

    func testOptionsThatApplyAreTaken() throws {
        let pool = try Executable.run(["trace", "--op", "pool", "--pool", "3", "--stride", "2", "--pad", "1",
                                       "--pool-mode", "Average", "--passes", "backward", "--shape", "1,2,5,5"])
        XCTAssertEqual(pool.status, 0, pool.stderr)
        let conv = try Executable.run(["trace", "--op", "conv", "--filter", "2,1,3,3", "--dilation", "2", "--form", "base",
                                       "--activation", "relu", "--passes", "update", "--seed", "5", "--pad", "same", "--shape", "1,1,5,5"])
        XCTAssertEqual(conv.status, 0, conv.stderr)
        XCTAssertTrue(conv.stdout.hasPrefix("{\"format\":\"tatami-trace\""))
    }
}
