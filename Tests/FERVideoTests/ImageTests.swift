import Testing
@testable import FERVideo
