"""Turn-taking by voice: hearing an utterance, understanding a command, speaking a prompt."""
