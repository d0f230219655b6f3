# This file holds only a comment.
