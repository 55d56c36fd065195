import OpenSora
@testable import OpenSoraTraining
import XCTest

final class ShapeCaptionTests: XCTestCase {
    func testTheGrammarHas84CombinationsAndTheHeldOutOnesCoverEveryValue() {
        XCTAssertEqual(ShapeCaption.all.count, 84)
        XCTAssertEqual(Set(ShapeCaption.all).count, 84)
        let held = ShapeCaption.heldOut
        XCTAssertGreaterThanOrEqual(held.count, 10)
        XCTAssertEqual(Set(held).count, held.count)
        XCTAssertEqual(Set(held.map(\.color)), Set(ShapeColor.allCases))
        XCTAssertEqual(Set(held.map(\.shape)), Set(ShapeKind.allCases))
        XCTAssertEqual(Set(held.map(\.direction)), Set(MotionDirection.allCases))
        XCTAssertEqual(ShapeCaption.training.count, 84 - held.count)
        XCTAssertTrue(Set(ShapeCaption.training).isDisjoint(with: held))
        // Training still pairs every colour with every shape and every direction.
        for c in ShapeColor.allCases {
            XCTAssertEqual(Set(ShapeCaption.training.filter { $0.color == c }.map(\.shape)), Set(ShapeKind.allCases))
            XCTAssertEqual(Set(ShapeCaption.training.filter { $0.color == c }.map(\.direction)), Set(MotionDirection.allCases))
        }
    }

    func testCaptionsReadBackAndOtherTextIsRefused() {
        for c in ShapeCaption.all { XCTAssertEqual(ShapeCaption(parsing: c.text), c) }
        XCTAssertEqual(ShapeCaption(parsing: "  A Red Circle moving LEFT "), ShapeCaption(color: .red, shape: .circle, direction: .left))
        XCTAssertEqual(ShapeCaption(parsing: "a magenta triangle moving up")?.text, "a magenta triangle moving up")
        for bad in ["a red circle moving", "a purple circle moving left", "a red hexagon moving left", "a red circle moving sideways",
                    "the red circle moving left", "a red circle going left", ""] {
            XCTAssertNil(ShapeCaption(parsing: bad), bad)
        }
    }

    func testEvalShapesRefusesAPromptOutsideTheGrammarNamingIt() {
        XCTAssertThrowsError(try ShapesEvaluation.captions(["a red circle moving left", "a cat"])) { error in
            XCTAssertTrue("\(error)".contains("prompt 2 'a cat'"), "\(error)")
        }
    }
}
