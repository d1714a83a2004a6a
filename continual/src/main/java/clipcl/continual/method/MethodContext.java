package clipcl.continual.method;

import clipcl.clip.model.Clip;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.data.Session;
import clipcl.continual.data.SessionPlan;
import clipcl.continual.train.BatchMaker;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;

/**
 * What a method sees at a session boundary: the model being trained, the frozen teacher (null unless
 * the method asked for one), the session about to run or just run, the whole plan, the training data
 * and the settings, and a maker of batches of given training items (Fisher, replay features).
 */
public record MethodContext(Clip model, Clip teacher, Session session, SessionPlan plan, LabeledImages data,
                            TrainConfig config, UpdateOption update, long seed, BatchMaker batches) { }
