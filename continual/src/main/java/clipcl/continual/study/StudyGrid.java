package clipcl.continual.study;

import clipcl.continual.method.Methods;
import clipcl.continual.protocol.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a study runs: methods (row label and spec) x protocols x seeds, with one preset. Runs are
 * ordered seed by seed (every cell of the first seed, then of the second, ...), so a study stopped
 * early has a complete one-seed table before it has any spread.
 *
 * @param methods    {label, spec} pairs in row order
 */
public record StudyGrid(List<String[]> methods, List<Protocol> protocols, List<Long> seeds, StudyPreset preset) {
    public StudyGrid {
        methods = List.copyOf(methods);
        protocols = List.copyOf(protocols);
        seeds = List.copyOf(seeds);
        if (methods.isEmpty() || protocols.isEmpty() || seeds.isEmpty()) throw new IllegalArgumentException("study grid: no methods, protocols or seeds");
        if (new java.util.HashSet<>(seeds).size() != seeds.size()) throw new IllegalArgumentException("study grid: seeds " + seeds + " repeat");
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (String[] m : methods) {
            if (m.length != 2) throw new IllegalArgumentException("study grid: a method is {label, spec}");
            if (!labels.add(m[0])) throw new IllegalArgumentException("study grid: method label '" + m[0] + "' repeats");
            Methods.byName(m[1]); // an unknown method or option fails here, before anything runs
        }
    }

    /** Every method of both papers under OST, MST and the stream (13 x 3 cells). */
    public static StudyGrid standard(StudyPreset preset, List<Long> seeds) {
        List<String[]> m = List.of(new String[] {"FT", "ft"}, new String[] {"Joint", "joint"}, new String[] {"LwF", "lwf"},
                new String[] {"GeoDL", "geodl"}, new String[] {"IMM", "imm"}, new String[] {"RKR", "rkr"}, new String[] {"VR-LwF", "vr-lwf"},
                new String[] {"CLIP_ct", "clip-ct"}, new String[] {"CLIP_jt", "clip-jt"}, new String[] {"EWC", "ewc"}, new String[] {"DER", "der"},
                new String[] {"Mod-X", "mod-x"}, new String[] {"Mod-X + buffer", preset.modxWithBuffer()});
        return new StudyGrid(m, List.of(Protocol.OST, Protocol.MST, Protocol.STREAM), seeds, preset);
    }

    public List<GridCell> cells() {
        List<GridCell> out = new ArrayList<>();
        for (String[] m : methods) for (Protocol p : protocols) out.add(new GridCell(m[0], m[1], p));
        return out;
    }

    /** Seed-major: all cells of seeds[0], then of seeds[1], ... */
    public List<GridRun> runs() {
        List<GridRun> out = new ArrayList<>();
        for (long s : seeds) for (GridCell c : cells()) out.add(new GridRun(c, s));
        return out;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        List<Object> ms = new ArrayList<>();
        for (String[] m : methods) {
            Map<String, Object> x = new LinkedHashMap<>();   // not Map.of: its order changes from one JVM to the next
            x.put("label", m[0]);
            x.put("method", m[1]);
            ms.add(x);
        }
        j.put("methods", ms);
        List<Object> ps = new ArrayList<>();
        for (Protocol p : protocols) ps.add(p.id());
        j.put("protocols", ps);
        j.put("seeds", new ArrayList<Object>(seeds));
        j.put("preset", preset.toJson());
        return j;
    }

    /**
     * A grid from a config file: {@code {"methods": ["ft", {"label": "Mod-X + buffer", "method": "mod-x:buffer=500"}],
     * "protocols": ["ost", "stream"], "seeds": [1, 2], "preset": "quick"}}; a key left out takes the standard
     * grid's value ({@code dflt}'s). A bare spec is its own label.
     */
    public static StudyGrid fromJson(Map<String, Object> j, StudyGrid dflt, String where) {
        StudyPreset preset = j.containsKey("preset") ? StudyPreset.fromJson(j.get("preset"), where) : dflt.preset;
        List<String[]> methods = dflt.methods;
        if (j.get("methods") instanceof List<?> l) {
            methods = new ArrayList<>();
            for (Object o : l) {
                if (o instanceof String s) methods.add(new String[] {s, s});
                else if (o instanceof Map<?, ?> m && m.get("method") instanceof String s) methods.add(new String[] {m.get("label") instanceof String lb ? lb : s, s});
                else throw new IllegalArgumentException(where + ": each of \"methods\" is a spec string or {\"label\": ..., \"method\": ...}, got " + o);
            }
        } else if (j.containsKey("methods")) {
            throw new IllegalArgumentException(where + ": \"methods\" must be a list");
        }
        List<Protocol> protocols = dflt.protocols;
        if (j.get("protocols") instanceof List<?> l) {
            protocols = new ArrayList<>();
            for (Object o : l) protocols.add(Protocol.parse(String.valueOf(o)));
        } else if (j.containsKey("protocols")) {
            throw new IllegalArgumentException(where + ": \"protocols\" must be a list");
        }
        List<Long> seeds = dflt.seeds;
        if (j.get("seeds") instanceof List<?> l) {
            seeds = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof Long n)) throw new IllegalArgumentException(where + ": \"seeds\" must be integers, got " + o);
                seeds.add(n);
            }
        } else if (j.containsKey("seeds")) {
            throw new IllegalArgumentException(where + ": \"seeds\" must be a list of integers");
        }
        for (String k : j.keySet()) {
            if (!List.of("methods", "protocols", "seeds", "preset").contains(k)) {
                throw new IllegalArgumentException(where + ": unknown key '" + k + "' (known: methods, protocols, seeds, preset)");
            }
        }
        return new StudyGrid(methods, protocols, seeds, preset);
    }

    /** A grid read back from its {@link #toJson} form (the study folder's grid.json). */
    public static StudyGrid read(Map<String, Object> j, String where) {
        if (!(j.get("preset") instanceof Map<?, ?>)) throw new IllegalArgumentException(where + ": no preset");
        StudyGrid probe = new StudyGrid(List.<String[]>of(new String[] {"FT", "ft"}), List.of(Protocol.OST), List.of(1L), StudyPreset.quick());
        return fromJson(j, probe, where);
    }
}
