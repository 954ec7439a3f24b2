"""The errors FormCheck raises, each with a message a user can act on."""


class FormcheckError(Exception):
    """Base class: anything the user can fix (bad file, wrong exercise, nobody in frame)."""


class VideoError(FormcheckError):
    """The file is not a readable video (missing, empty, truncated, not a video at all)."""


class NoPersonError(FormcheckError):
    """No person was found in the video (or too few frames to judge anything)."""


class UnknownExerciseError(FormcheckError):
    """The exercise id is not one FormCheck knows."""


class PoseDataError(FormcheckError):
    """A pose file or array does not have the expected shape or content."""
