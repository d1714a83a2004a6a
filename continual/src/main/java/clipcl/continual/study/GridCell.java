package clipcl.continual.study;

import clipcl.continual.protocol.Protocol;

/**
 * One cell of the study's grid: a method (its row label and its command-line spec) under a protocol.
 *
 * @param label    the row's name in tables and charts ("Mod-X + buffer")
 * @param method   the method spec, {@code name[:key=value,...]}
 */
public record GridCell(String label, String method, Protocol protocol) {
    /** The cell's folder name: the method spec made file-safe, then the protocol ("mod-x_buffer500-stream"). */
    public String id() {
        return method.replace(':', '_').replace(',', '_').replace("=", "") + "-" + protocol.id();
    }
}
