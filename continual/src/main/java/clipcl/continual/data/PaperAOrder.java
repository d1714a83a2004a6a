package clipcl.continual.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Paper A's MST session order (its Table I): 8 sessions of 10 COCO classes. The table lists COCO's 80
 * categories in category-id order (session 1: person .. traffic light; session 8: toaster ..
 * toothbrush), so for COCO it is the category-id order cut into tens; data with other classes keeps its
 * category-id order, the rule the table follows.
 */
public final class PaperAOrder {
    /** Table I, sessions 1 to 8 one after another. */
    public static final List<String> TABLE_I = List.of(
            "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
            "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
            "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
            "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
            "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
            "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed",
            "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven",
            "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush");

    /** Paper A's classes a session. */
    public static final int PER_SESSION = 10;

    private PaperAOrder() { }

    /**
     * The MST class order for classes (given in category-id order): Table I's when they are COCO's 80
     * categories, else category-id order (0, 1, 2, ...).
     */
    public static int[] order(List<String> classes) {
        int[] out = new int[classes.size()];
        if (classes.size() == TABLE_I.size() && new HashSet<>(classes).equals(new HashSet<>(TABLE_I))) {
            for (int i = 0; i < out.length; i++) out[i] = classes.indexOf(TABLE_I.get(i));
        } else {
            for (int i = 0; i < out.length; i++) out[i] = i;
        }
        return out;
    }

    /** The names of order's classes, for the run's config. */
    public static List<String> names(List<String> classes, int[] order) {
        List<String> out = new ArrayList<>();
        for (int c : order) out.add(classes.get(c));
        return out;
    }
}
