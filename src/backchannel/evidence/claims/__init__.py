"""Claims: an actor holds, demands, offers, accepts or rejects a position on an issue.

A sentence is put on an issue by the issue's keywords (or, for paraphrases, by sentence
embeddings compared across issues, never by an absolute threshold alone). The claimant is an
actor the sentence makes the holder of a view: the subject of a verb, the possessor of a stance
noun ("Moscow's objective"), the agent of a passive ("pushed by Russia"), the frame "For Russia,",
the speaker of a quotation, or the party a bulleted list belongs to ("Putin's goals remain:").
The position comes from the cues found in the claimant's own clause, turned around when the
claimant rejects or refuses it; with no cue, from the clause's similarity to the scale labels.
"""

from .record import Claim
from .sentences import extract_claims

__all__ = ["Claim", "extract_claims"]
