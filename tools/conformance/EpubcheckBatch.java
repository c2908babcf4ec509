// Runs EPUBCheck on many EPUB files in one JVM (start-up and JIT warm-up
// dominate a single run).  Usage, with the epubcheck jar on the class path:
//   java -cp epubcheck.jar EpubcheckBatch.java BOOK.epub REPORT.json [BOOK.epub REPORT.json ...]
// Each report is EPUBCheck's own JSON report (as written by its --json option).
public class EpubcheckBatch {
    public static void main(String[] args) {
        if (args.length == 0 || args.length % 2 != 0) {
            System.err.println("usage: EpubcheckBatch BOOK.epub REPORT.json [...]");
            System.exit(2);
        }
        for (int i = 0; i < args.length; i += 2) {
            new com.adobe.epubcheck.tool.EpubChecker().run(new String[] {args[i], "--json", args[i + 1], "--quiet"});
        }
    }
}
