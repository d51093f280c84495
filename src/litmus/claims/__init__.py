"""The review's claims (`extract`), and their verification against the cited abstracts (`verdicts`)."""
