package clipcl.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import clipcl.tensor.Scope;
import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Finite-difference checks of every primitive (F64), and a test that none is left unchecked. */
class OpGradientTest {
    @TestFactory
    Stream<DynamicTest> everyCaseMatchesFiniteDifferences() {
        return GradCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            try (Scope s = Scope.open()) {
                GradCheck.check(c.name(), c.fn(), c.inputs().get());
            }
        }));
    }

    @Test
    void everyPrimitiveHasAGradientCheck() throws Exception {
        Set<String> covered = new TreeSet<>();
        for (GradCases.Case c : GradCases.all()) {
            try (Scope s = Scope.open()) {
                Var out = c.fn().apply(c.inputs().get());
                for (Class<?> k : GradCheck.primitives(out)) covered.add(k.getName());
                out.freeGraph();
            }
        }
        List<String> missing = new ArrayList<>();
        for (String name : primitiveClasses()) if (!covered.contains(name)) missing.add(name);
        assertTrue(missing.isEmpty(), "primitives with no gradient check in GradCases: " + missing);
    }

    /** Every concrete Function subclass in clipcl.autograd.ops (read from the class folder or jar). */
    static Collection<String> primitiveClasses() throws Exception {
        String pkg = "clipcl.autograd.ops";
        URL url = Function.class.getClassLoader().getResource(pkg.replace('.', '/'));
        if (url == null) fail("package " + pkg + " not found on the class path");
        Set<String> names = new TreeSet<>();
        if (url.getProtocol().equals("file")) {
            for (String f : new File(url.toURI()).list()) if (f.endsWith(".class") && !f.contains("$")) names.add(pkg + "." + f.substring(0, f.length() - 6));
        } else if (url.getProtocol().equals("jar")) {
            String jar = url.getPath().substring(5, url.getPath().indexOf('!'));
            try (var jf = new java.util.jar.JarFile(jar)) {
                jf.stream().map(java.util.jar.JarEntry::getName)
                    .filter(n -> n.startsWith(pkg.replace('.', '/') + "/") && n.endsWith(".class") && !n.contains("$"))
                    .forEach(n -> names.add(n.substring(0, n.length() - 6).replace('/', '.')));
            }
        }
        Set<String> prims = new TreeSet<>();
        for (String n : names) {
            Class<?> k = Class.forName(n);
            if (Function.class.isAssignableFrom(k) && !java.lang.reflect.Modifier.isAbstract(k.getModifiers())) prims.add(n);
        }
        assertTrue(prims.size() > 20, "expected the primitive classes of " + pkg + ", found " + prims);
        return prims;
    }
}
