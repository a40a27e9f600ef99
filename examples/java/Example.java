// The Java binding in a few lines (bindings/java). Run it without compiling:
//   java -cp jingmin.jar:/usr/share/java/jna.jar:/usr/share/java/jackson-core.jar:/usr/share/java/jackson-databind.jar:/usr/share/java/jackson-annotations.jar examples/java/Example.java
// (jingmin.jar from scripts/test-java.sh, in target/java/, bundles libjingmin.so;
//  with Maven: the dependency cn.jingmin:jingmin, see bindings/java/README.md).
import cn.jingmin.*;

public class Example {
    public static void main(String[] args) {
        try (Engine engine = new Engine()) {
            String text = "😀淘寶刷.單，一單一結，加ＶＸ：tbjob886";
            Analysis a = engine.analyze(text, Role.RESIDENT, false);
            System.out.println(a.fraud().primaryType().label() + " · " + a.fraud().stance().label() + " · 风险 " + a.fraud().risk());
            for (Hit h : a.fraud().hits()) {
                System.out.println("  " + h.keyword() + " ← " + text.substring(h.start(), h.end()));
            }

            // Case statistics: a question and the officer's answer five minutes later.
            try (Aggregator agg = new Aggregator(engine)) {
                agg.add(Message.of("警民群", Role.RESIDENT, "2024-03-01 10:00:00", "请问办居住证要带什么？"));
                agg.add(Message.of("警民群", Role.POLICE, "2024-03-01 10:05:00", "带身份证来就行"));
                System.out.println("cases " + agg.report().path("cases").path("opened") + ", answered in "
                        + agg.report().path("cases").path("first_response_seconds").path("p50") + " s");
            }
        }
    }
}
