"""Reminders that start the nightly check-in: a chime and a question at a set time.

`schedule` reads the time and days a person types; `units` and `cron` turn a
reminder into the text a scheduler reads (pure, so each is tested as text);
`install` is the thin adapter that writes it and runs systemctl or crontab
through an injected runner; `flow` decides, from the answers heard, whether the
check-in starts, waits a while or ends quietly.
"""
