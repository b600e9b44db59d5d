import XCTest
final class NPYTestsPlaceholder: XCTestCase { func testBuilds() {} }
