"""FormCheck: computer-vision form checking for runners' leg strength work."""

import os

# FFmpeg (inside OpenCV) and MediaPipe log decoder and graph chatter to stderr; FormCheck reports
# problems itself, so keep theirs to fatal errors unless the user asks otherwise.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

__version__ = "0.1.0"
