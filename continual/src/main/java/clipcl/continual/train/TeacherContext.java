package clipcl.continual.train;

import clipcl.clip.model.Clip;
import clipcl.continual.data.Session;

/**
 * What a loss term may read beside the batch: the frozen teacher (the model as it was before this
 * session, or null when the method asked for none), the session and the classes seen so far
 * (this session's included), and a text encoder for class prompts.
 */
public record TeacherContext(Clip teacher, Session session, int[] seenClasses, TextEncoder text) { }
