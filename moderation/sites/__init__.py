"""Connectors to comment platforms: pull comments in, push moderators' decisions back.

``wordpress`` is the REST client; ``sync`` runs ``pull`` then ``push``; ``pulled`` parses a
remote comment and names its ids; ``threads`` rebuilds a post's article and thread;
``premoderation`` approves clean held comments; ``report`` counts what a sync did;
``conflicts`` tells the comment card when the site changed a comment under a decision.
"""
