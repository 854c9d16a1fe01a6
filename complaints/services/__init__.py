"""The core services every door calls: intake, case work, statistics."""
