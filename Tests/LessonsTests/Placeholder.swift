import XCTest
final class LessonsTestsPlaceholder: XCTestCase { func testBuilds() {} }
