package dev.vaultreplicator.testkit.vault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.bertramlabs.plugins.hcl4j.HCLParser;

/**
 * The {@code audit} stanzas of an OpenBao config file, written and read: the one format both servers
 * of the devstack take their audit devices in (the emulator reads only these stanzas of its file).
 */
public final class AuditDeclarations {

    private AuditDeclarations() {
    }

    public static String hcl(List<AuditDeclaration> devices) {
        StringBuilder text = new StringBuilder();
        for (AuditDeclaration device : devices) {
            text.append("audit ").append(quoted(device.type())).append(' ').append(quoted(device.path()))
                    .append(" {\n  options {\n");
            new TreeMap<>(device.options()).forEach((key, value) ->
                    text.append("    ").append(key).append(" = ").append(quoted(value)).append('\n'));
            text.append("  }\n}\n");
        }
        return text.toString();
    }

    /** Every {@code audit "<type>" "<path>" { options { … } }} stanza; other stanzas are ignored. */
    @SuppressWarnings("unchecked")
    public static List<AuditDeclaration> parse(String hcl) {
        Map<String, Object> tree;
        try {
            tree = new HCLParser().parse(hcl);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a valid config file: " + e.getMessage(), e);
        }
        List<AuditDeclaration> devices = new ArrayList<>();
        Object audit = tree.get("audit");
        if (!(audit instanceof Map<?, ?> byType)) {
            return devices;
        }
        byType.forEach((type, byPath) -> ((Map<String, Object>) byPath).forEach((path, body) -> {
            Object options = ((Map<String, Object>) body).get("options");
            Map<String, String> strings = new TreeMap<>();
            if (options instanceof Map<?, ?> map) {
                map.forEach((key, value) -> strings.put(key.toString(), String.valueOf(value)));
            }
            devices.add(new AuditDeclaration(type.toString(), path, strings));
        }));
        return devices;
    }

    public static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
