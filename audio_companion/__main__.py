from audio_companion.cli import main

main()
