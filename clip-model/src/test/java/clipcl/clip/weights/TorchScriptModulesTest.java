package clipcl.clip.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TorchScriptModulesTest {
    @Test
    void parametersAndBuffersAreReadFromEachClassDeclaration() {
        String src = """
            class LayerNorm(Module):
              __parameters__ = ["weight", "bias", ]
              __buffers__ = []
              weight : Tensor
              training : bool
              def forward(self: __torch__.m.LayerNorm, x: Tensor) -> Tensor:
                return x
            class Block(Module):
              __parameters__ = []
              __buffers__ = ["running_mean", 'mask', ]
              attn_mask : Tensor
              ln : __torch__.m.LayerNorm
            class Helper(object):
              pass
            """;
        Map<String, Set<String>> out = new HashMap<>();
        TorchScriptModules.parseClasses("__torch__.m", src, out);
        assertEquals(Set.of("__torch__.m.LayerNorm", "__torch__.m.Block"), out.keySet());
        assertEquals(List.of("weight", "bias"), List.copyOf(out.get("__torch__.m.LayerNorm")));
        // attn_mask is a plain tensor attribute of a scripted module: not in state_dict().
        assertEquals(List.of("running_mean", "mask"), List.copyOf(out.get("__torch__.m.Block")));
        assertFalse(out.get("__torch__.m.Block").contains("attn_mask"));
    }
}
