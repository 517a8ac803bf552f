"""Speech in and out: text-to-speech now; recognition engines join here."""
