package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.levain.api.support.ApiTestResource;
import dev.levain.api.support.TestTokens;
import dev.levain.devstack.test.DevStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** A dashboard table sent to the API comes back as a workbook Apache POI opens, numbers as numbers. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class ExportTest {

    @Test
    void aTableBecomesASheetWithItsHeaderTextAndNumbers() throws IOException {
        byte[] xlsx = given().header("Authorization", bearer(TestTokens.viewer())).contentType(ContentType.JSON)
                .body("""
                        {"name": "daily", "rows": [["day", "PAR-01 net", "PAR-01 transactions"],
                                                   ["2026-11-27", 1234.56, 87], ["2026-11-28", null, 0]]}""")
                .when().post("/api/v1/export/xlsx")
                .then().statusCode(200)
                .contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .header("Content-Disposition", "attachment; filename=\"daily.xlsx\"")
                .extract().asByteArray();
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet sheet = workbook.getSheet("daily");
            assertThat(sheet.getRow(0).getCell(1).getStringCellValue()).isEqualTo("PAR-01 net");
            assertThat(sheet.getRow(0).getCell(0).getCellStyle().getFontIndex()).isNotZero();
            assertThat(sheet.getRow(1).getCell(0).getStringCellValue()).isEqualTo("2026-11-27");
            assertThat(sheet.getRow(1).getCell(1).getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(sheet.getRow(1).getCell(1).getNumericCellValue()).isEqualTo(1234.56);
            assertThat(sheet.getRow(1).getCell(2).getNumericCellValue()).isEqualTo(87);
            assertThat(sheet.getRow(2).getCell(1)).as("null: an empty cell").isNull();
            assertThat(sheet.getLastRowNum()).isEqualTo(2);
        }
    }

    @Test
    void aMalformedTableIsRefusedNamingWhatIsWrong() {
        given().header("Authorization", bearer(TestTokens.admin())).contentType(ContentType.JSON)
                .body("{\"name\": \"daily/../x\", \"rows\": [[\"a\"]]}")
                .when().post("/api/v1/export/xlsx")
                .then().statusCode(400).body("parameter", equalTo("name"));
        given().header("Authorization", bearer(TestTokens.admin())).contentType(ContentType.JSON)
                .body("{\"name\": \"daily\", \"rows\": []}")
                .when().post("/api/v1/export/xlsx")
                .then().statusCode(400).body("parameter", equalTo("rows"));
        given().header("Authorization", bearer(TestTokens.admin())).contentType(ContentType.JSON)
                .body("{\"name\": \"daily\", \"rows\": [[\"a\", {\"b\": 1}]]}")
                .when().post("/api/v1/export/xlsx")
                .then().statusCode(400).body("parameter", equalTo("rows[0][1]"));
        given().contentType(ContentType.JSON).body("{\"name\": \"daily\", \"rows\": [[\"a\"]]}")
                .when().post("/api/v1/export/xlsx")
                .then().statusCode(401);
    }
}
