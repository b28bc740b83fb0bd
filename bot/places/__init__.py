"""Places (lieux), their conseillers and permanences, closures and absences."""
