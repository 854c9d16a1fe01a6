"""Evidence files: deciding what a file is from its content, making a clean copy of it, and
asking ClamAV's daemon about it. Nothing here knows about requests or the database."""
