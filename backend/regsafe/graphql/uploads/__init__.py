"""The upload confirm verb (uploadConfirm), shared by every purpose."""
