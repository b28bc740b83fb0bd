"""The answer classifier's scores: one message (summed weight rows, the parse's path) and a batch
(a sparse product) agree."""

import numpy as np
from scipy.sparse import csr_matrix

from bot.nlu.answer_classifier import JointModel


def test_one_message_scores_as_the_batch_does():
    rng = np.random.default_rng(3)
    features = csr_matrix(rng.random((40, 60)) * (rng.random((40, 60)) < 0.2))
    labels = [f"faq_x/{i % 4}" for i in range(40)]
    model = JointModel.fit(features, labels, C=1.0, temperature=1.0, prune=0.0)
    batch = model.scores(features)
    for i in range(features.shape[0]):
        assert np.allclose(model.scores(features[i]), batch[i : i + 1])
    empty = csr_matrix((1, 60))
    assert np.allclose(model.scores(empty), model.intercept)
