import XCTest
final class StoryboardTestsPlaceholder: XCTestCase { func testBuilds() {} }
