"""Dialog: turning what the user says into what the companion does next."""
