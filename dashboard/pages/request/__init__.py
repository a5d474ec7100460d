"""A request's page ("/permohonan/<id>"): its story, stage by stage."""
